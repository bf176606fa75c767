-- Every process keeps the text overrides and the shop settings in memory (workers::cache) and
-- reads them again when told they changed: any change to either table, from the bot, the
-- dashboard or psql, sends one notice per statement at commit.
CREATE FUNCTION notify_shop_config() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('shop_config', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER templates_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON templates
FOR EACH STATEMENT EXECUTE FUNCTION notify_shop_config();

CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
FOR EACH STATEMENT EXECUTE FUNCTION notify_shop_config();
