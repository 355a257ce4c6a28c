"""Use cases that change campaign state, one module per concept. Each raises cms.errors.ServiceError."""
