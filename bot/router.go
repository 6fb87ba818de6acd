package bot

import (
	"log/slog"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
)

// New returns a Bot with its route table: one route per command path of
// Commands. The transports (gateway, HTTP interactions, shell) all call
// the same Bot.
func New(st *store.Store, pulses *pulsejob.Service, log *slog.Logger) *Bot {
	b := &Bot{Store: st, Pulses: pulses, Log: log}
	const manage = discordgo.PermissionManageGuild
	b.routes = map[string]route{
		"pulse":          {handle: b.pulse, slow: true, complete: b.complete},
		"stories":        {handle: b.stories, complete: b.complete},
		"alerts add":     {handle: b.alertAdd, guildOnly: true, perm: manage, complete: b.complete},
		"alerts pulse":   {handle: b.alertPulse, guildOnly: true, perm: manage, complete: b.complete},
		"alerts list":    {handle: b.alertList, guildOnly: true, perm: manage},
		"alerts remove":  {handle: b.alertRemove, guildOnly: true, perm: manage, complete: b.complete},
		"follow":         {handle: b.follow, complete: b.complete},
		"unfollow":       {handle: b.unfollow, complete: b.complete},
		"following":      {handle: b.following},
		"digest set":     {handle: b.digestSet, guildOnly: true, perm: manage, complete: b.complete},
		"digest off":     {handle: b.digestOff, guildOnly: true, perm: manage},
		"digest preview": {handle: b.digestPreview, guildOnly: true, slow: true, private: true},
		"status":         {handle: b.status},
		"help":           {handle: b.help},
	}
	return b
}
