"""Settings split by purpose: base, dev (embedded default), test, production."""
