"""Pages of the support app: the supporter's own (`supporter`), and the coordinator's: matching
rounds (`rounds`), "find a supporter now" and contact signals (`coordinator`), the list of
supporters (`supporters`). Referral pages live in `referrals` (another module's owner)."""
