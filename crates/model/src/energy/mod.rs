//! Energy: resting energy, running cost, weight goals and projections.
