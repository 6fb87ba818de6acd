// Package bot is pulsebot's Discord face: slash commands over the gateway and
// over HTTP interactions, and the local shell. It arrives with its own issue.
package bot
