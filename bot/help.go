package bot

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/jobs/pulse"
)

// help answers /help with every command of Commands, so the list cannot
// drift from what is registered.
func (b *Bot) help(ctx context.Context, in *Interaction) (Reply, error) {
	var lines []string
	for _, c := range Commands() {
		subs := false
		for _, o := range c.Options {
			if o.Type == discordgo.ApplicationCommandOptionSubCommand {
				subs = true
				lines = append(lines, helpLine("/"+c.Name+" "+o.Name, o, b.routes[c.Name+" "+o.Name]))
			}
		}
		if !subs {
			lines = append(lines, helpLine("/"+c.Name, &discordgo.ApplicationCommandOption{Description: c.Description, Options: c.Options}, b.routes[c.Name]))
		}
	}
	desc := "pulsebot reads crypto news feeds, groups articles from different outlets into stories and scores a daily **Market Pulse** from 0 (extreme fear) to 10 (extreme greed).\n\n" +
		strings.Join(lines, "\n")
	return Reply{Embeds: []*discordgo.MessageEmbed{{
		Title:       "pulsebot commands",
		Description: desc,
		Color:       0x5865F2,
		Footer:      &discordgo.MessageEmbedFooter{Text: pulse.Disclaimer},
	}}, Ephemeral: true}, nil
}

func helpLine(path string, o *discordgo.ApplicationCommandOption, r route) string {
	var args []string
	for _, a := range o.Options {
		if a.Required {
			args = append(args, a.Name)
		} else {
			args = append(args, "["+a.Name+"]")
		}
	}
	line := "**" + path + "**"
	if len(args) > 0 {
		line += " " + strings.Join(args, " ")
	}
	line += " — " + o.Description
	var notes []string
	if r.perm != 0 {
		notes = append(notes, permName(r.perm))
	}
	if r.guildOnly && r.perm == 0 {
		notes = append(notes, "servers only")
	}
	if len(notes) > 0 {
		line += " *(" + strings.Join(notes, ", ") + ")*"
	}
	return line
}
