// Package pulsejob computes, stores and serves daily Market Pulses: it loads
// a day's stories and the previous days' pulses from the store, runs the pure
// jobs/pulse core, and keeps the pulses table current (today live, earlier
// days final once).
//
// Both the scheduler (package jobs) and the bot use it, so the "stored or
// computed on demand" rule lives in one place. It imports store and the
// pure cores, never bot or the scheduler.
package pulsejob
