// Package config reads pulsebot's settings from the environment and the
// feeds file, validates them all at once and reports every bad field by name.
//
// It sits at the bottom of the dependency graph: main, jobs and bot read a
// Config; config imports nothing of pulsebot's. Secrets (the Discord token)
// never leave it in printable form: String and LogValue redact them.
package config
