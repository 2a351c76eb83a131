"""For test authors: hypothesis strategies (:mod:`visits.testing.strategies`) and the demo community."""
