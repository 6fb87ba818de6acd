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
// Place in the dependency graph: main → bot → store, jobs/pulsejob and the
// pure cores (jobs/pulse for charts, jobs/tag for coins and topics). bot
// never imports the scheduler (package jobs); jobs never imports bot.
package bot
