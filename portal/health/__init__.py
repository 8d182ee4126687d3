"""The health check load balancers and supervisors poll."""
