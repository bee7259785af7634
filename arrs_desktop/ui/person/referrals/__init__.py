"""The person's Community tab: their referrals to groups and services."""
