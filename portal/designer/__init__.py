"""The workflow designer: return types, approval chains, policies, versions, simulation."""
