// Package store keeps pulsebot's state in one SQLite file (modernc.org/sqlite,
// no cgo): feed sources and their health, articles, stories, and what later
// features add through their own numbered migrations.
//
// Every connection of the pool gets the same pragmas through the DSN (WAL,
// busy_timeout, synchronous=NORMAL, foreign keys) and write transactions
// begin IMMEDIATE, so two writers wait for each other instead of failing
// halfway. SQL lives only here; callers get plain structs. store imports
// nothing of pulsebot's: jobs and bot depend on it, never the other way.
package store
