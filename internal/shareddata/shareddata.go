// Package shareddata locates the third-party evaluation data that lives
// beside the repository in ../shared/testdata. It is only used by tests and
// benchmarks: the data is read in place, never copied into the repository,
// and a user's clone without it still passes its tests (they skip).
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar overrides where the shared test data is looked for.
const EnvVar = "PULSEBOT_SHARED_TESTDATA"

// Dir returns the path of ../shared/testdata (relative to the module root),
// or skips the test with a message saying what is missing.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, ok := Find()
	if !ok {
		tb.Skipf("skipping: shared test data not found (looked for ../shared/testdata beside the module root, or $%s); it is only present in the project's CI checkout", EnvVar)
	}
	return dir
}

// Path returns the path of a file inside the shared test data, skipping the
// test when the data or the file is absent.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	p := filepath.Join(append([]string{Dir(tb)}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("skipping: shared test file %s is not available: %v", p, err)
	}
	return p
}

// Find reports where the shared test data is, without skipping.
func Find() (string, bool) {
	if d := os.Getenv(EnvVar); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, true
		}
		return "", false
	}
	root, ok := moduleRoot()
	if !ok {
		return "", false
	}
	d := filepath.Join(root, "..", "shared", "testdata")
	if st, err := os.Stat(d); err == nil && st.IsDir() {
		return d, true
	}
	return "", false
}

// moduleRoot walks up from the working directory (a package directory when
// run by go test) to the directory holding go.mod.
func moduleRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
