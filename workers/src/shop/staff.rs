//! Who runs the shop: owners and admins named in the configuration (admins added from the
//! bot are stored in `admins` and looked up per update).

/// What a person is to the shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Customer,
    Admin,
    Owner,
}

/// The configured staff, by Telegram user id: one value for every part that needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staff {
    owners: Vec<i64>,
    admins: Vec<i64>,
    /// Owners then admins, each once: who gets staff alerts.
    everyone: Vec<i64>,
}

impl Staff {
    pub fn new(owners: Vec<i64>, admins: Vec<i64>) -> Self {
        let mut everyone: Vec<i64> = Vec::with_capacity(owners.len() + admins.len());
        for id in owners.iter().chain(&admins) {
            if !everyone.contains(id) {
                everyone.push(*id);
            }
        }
        Staff {
            owners,
            admins,
            everyone,
        }
    }

    pub fn owners(&self) -> &[i64] {
        &self.owners
    }

    pub fn admins(&self) -> &[i64] {
        &self.admins
    }

    /// Owners and admins, each once, owners first.
    pub fn everyone(&self) -> &[i64] {
        &self.everyone
    }

    /// The configured role of `telegram_id`, if the configuration names them (an owner
    /// listed as an admin too is an owner).
    pub fn role_of(&self, telegram_id: i64) -> Option<Role> {
        if self.owners.contains(&telegram_id) {
            Some(Role::Owner)
        } else if self.admins.contains(&telegram_id) {
            Some(Role::Admin)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_listed_twice_is_one_owner() {
        let staff = Staff::new(vec![1, 2], vec![2, 3]);
        assert_eq!(staff.everyone(), [1, 2, 3]);
        assert_eq!(staff.role_of(2), Some(Role::Owner));
        assert_eq!(staff.role_of(3), Some(Role::Admin));
        assert_eq!(staff.role_of(4), None);
    }
}
