// Package storetest opens real SQLite stores in temporary directories for
// tests: no mocks of the store anywhere in pulsebot.
package storetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/store"
)

// Open returns a migrated store in a fresh temp dir, closed at cleanup.
func Open(tb testing.TB) *store.Store {
	tb.Helper()
	return OpenPath(tb, filepath.Join(tb.TempDir(), "pulsebot.db"))
}

// OpenPath opens (and migrates) the store at path, closed at cleanup.
func OpenPath(tb testing.TB, path string) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// Clock is a settable clock for Store.Now and friends.
type Clock struct{ t time.Time }

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.t }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.t = t }

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) { c.t = c.t.Add(d) }
