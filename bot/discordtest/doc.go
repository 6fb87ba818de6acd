// Package discordtest is an in-process fake of Discord for end-to-end tests
// of pulsebot's bot. (Package doc to be written.)
package discordtest
