"""Analytics for the distributor: figures over a period of months, scoped like every page
(admins see every account, a sales rep only the accounts assigned to them)."""
