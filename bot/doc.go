// Package bot is pulsebot's Discord face: slash commands answered over the
// gateway (discordgo) and over HTTP interactions, and the same commands in a
// local shell.
//
// Every transport turns what it received into a *discordgo.Interaction,
// then into an Interaction (FromDiscord), and calls Bot.Handle, which routes
// to one Handler, checks permissions on the server side and turns errors
// into useful ephemeral replies. The Reply a handler returns is
// transport-neutral; each transport renders it (a Discord response with
// allowed_mentions.parse = [] always, or text in the shell) and keeps it
// within Discord's limits.
//
// The command set is Commands (registered as is, and hashed) and the route
// table is built by New, one route per command path ("alerts add"): the
// handler, whether it works only in servers, the permission it needs (the
// real check, whatever default_member_permissions let through), whether
// transports must defer it (/pulse renders a chart) and its autocomplete.
// Handlers live in one file per command family (pulse.go, stories.go,
// alerts.go, follows.go, digest.go, status.go, help.go); what they share is
// small: limits.go fits every reply within Discord's limits (Handle
// applies it to every reply), markdown.go makes feed text and typed text
// inert (markdown escaped, mentions neutralized, URLs checked). Alerts,
// follows and digests are saved, listed and removed here; posting them is
// a later feature, and the confirmations say so.
//
// RunShell (shell.go, shellparse.go) is the local transport: it parses
// "/alerts add keyword:\"spot etf\" channel:#alerts" into the interaction
// Discord would send in a pretend server and prints the reply as text.
//
// Place in the dependency graph: main → bot → store, jobs/pulsejob and the
// pure cores (jobs/pulse for charts, jobs/tag for coins and topics,
// jobs/cluster for ranking). bot never imports the scheduler (package
// jobs); jobs never imports bot.
package bot
