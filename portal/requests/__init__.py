"""Requesting a return: start a draft RMA, pick lines, check the policy live, submit.

Retailers act for their own account; sales reps (and admins) for an account they pick.
"""
