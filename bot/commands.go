package bot

import (
	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/jobs/tag"
)

// Limits on what a person may type, enforced again by the handlers (the
// shell and a hand-made HTTP interaction skip Discord's own checks).
const (
	maxKeywordRunes = 100
	maxAlerts       = 50 // per server
	maxFollows      = 20 // per user
)

// Commands returns the public command set: what the transports register
// with Discord (and hash to skip needless re-registration). Changing it
// changes the bot's public interface.
//
// /alerts and /digest carry default_member_permissions = Manage Server and
// are not offered in DMs, but that only hides them: Handle checks the
// member's permissions itself, per subcommand, whatever Discord allowed.
func Commands() []*discordgo.ApplicationCommand {
	manageGuild := int64(discordgo.PermissionManageGuild)
	no := false
	guild := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	anywhere := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	serverOnly := func(c *discordgo.ApplicationCommand) *discordgo.ApplicationCommand {
		c.DefaultMemberPermissions = &manageGuild
		c.DMPermission = &no
		ctx := append([]discordgo.InteractionContextType(nil), guild...)
		c.Contexts = &ctx
		return c
	}
	everywhere := func(c *discordgo.ApplicationCommand) *discordgo.ApplicationCommand {
		ctx := append([]discordgo.InteractionContextType(nil), anywhere...)
		c.Contexts = &ctx
		return c
	}
	return []*discordgo.ApplicationCommand{
		everywhere(&discordgo.ApplicationCommand{
			Name:        "pulse",
			Description: "The Market Pulse (0–10) of a day, overall or for one coin, with its 30-day chart",
			Options: []*discordgo.ApplicationCommandOption{
				coinOption("Only news about this coin (default: all crypto news)"),
				{Type: discordgo.ApplicationCommandOptionString, Name: "date", Description: "Day as YYYY-MM-DD (UTC; default today)", MaxLength: 32},
			},
		}),
		everywhere(&discordgo.ApplicationCommand{
			Name:        "stories",
			Description: "Top crypto news stories of the last 24 hours",
			Options: []*discordgo.ApplicationCommandOption{
				coinOption("Only stories about this coin"),
				topicOption("Only stories on this topic", false),
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "limit", Description: "How many stories (1–10, default 5)", MinValue: floatPtr(1), MaxValue: 10},
			},
		}),
		serverOnly(&discordgo.ApplicationCommand{
			Name:        "alerts",
			Description: "Server alerts: post matching stories or pulse moves to a channel",
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type: discordgo.ApplicationCommandOptionSubCommand, Name: "add",
					Description: "Alert on stories matching a keyword, coin, topic or outlet count",
					Options: []*discordgo.ApplicationCommandOption{
						keywordOption("Stories whose headline contains this text"),
						coinOption("Stories about this coin"),
						topicOption("Stories on this topic", false),
						{Type: discordgo.ApplicationCommandOptionInteger, Name: "min_outlets", Description: "When a story reaches this many outlets (2 or more)", MinValue: floatPtr(2), MaxValue: 100},
						channelOption("Where to post (default: this channel)", false),
					},
				},
				{
					Type: discordgo.ApplicationCommandOptionSubCommand, Name: "pulse",
					Description: "Alert when the Market Pulse crosses a level",
					Options: []*discordgo.ApplicationCommandOption{
						{Type: discordgo.ApplicationCommandOptionNumber, Name: "above", Description: "When the pulse rises above this (0–10)", MinValue: floatPtr(0), MaxValue: 10},
						{Type: discordgo.ApplicationCommandOptionNumber, Name: "below", Description: "When the pulse falls below this (0–10)", MinValue: floatPtr(0), MaxValue: 10},
						coinOption("This coin's pulse (default: the overall pulse)"),
						channelOption("Where to post (default: this channel)", false),
					},
				},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "list", Description: "List this server's alerts"},
				{
					Type: discordgo.ApplicationCommandOptionSubCommand, Name: "remove",
					Description: "Remove one of this server's alerts",
					Options: []*discordgo.ApplicationCommandOption{
						{Type: discordgo.ApplicationCommandOptionInteger, Name: "id", Description: "The alert's number (see /alerts list)", Required: true, Autocomplete: true, MinValue: floatPtr(1)},
					},
				},
			},
		}),
		everywhere(&discordgo.ApplicationCommand{
			Name:        "follow",
			Description: "Get a DM when a story matches a keyword or coin",
			Options: []*discordgo.ApplicationCommandOption{
				keywordOption("Stories whose headline contains this text"),
				coinOption("Stories about this coin"),
			},
		}),
		everywhere(&discordgo.ApplicationCommand{
			Name:        "unfollow",
			Description: "Stop one of your follows",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "id", Description: "The follow's number (see /following)", Required: true, Autocomplete: true, MinValue: floatPtr(1)},
			},
		}),
		everywhere(&discordgo.ApplicationCommand{
			Name:        "following",
			Description: "List your follows",
		}),
		serverOnly(&discordgo.ApplicationCommand{
			Name:        "digest",
			Description: "A daily digest of the top stories and the pulse, posted to a channel",
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type: discordgo.ApplicationCommandOptionSubCommand, Name: "set",
					Description: "Post this server's daily digest to a channel at a time",
					Options: []*discordgo.ApplicationCommandOption{
						channelOption("Where to post the digest", true),
						{Type: discordgo.ApplicationCommandOptionString, Name: "time", Description: "Time of day as HH:MM (24-hour)", Required: true, MaxLength: 16},
						{Type: discordgo.ApplicationCommandOptionString, Name: "timezone", Description: "IANA time zone such as Europe/Berlin (default UTC)", Autocomplete: true, MaxLength: 64},
						{Type: discordgo.ApplicationCommandOptionRole, Name: "role", Description: "A role to mention with each digest"},
						{Type: discordgo.ApplicationCommandOptionBoolean, Name: "silent", Description: "Post without a notification sound"},
					},
				},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "off", Description: "Stop this server's digest"},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "preview", Description: "Show what the digest would look like now"},
			},
		}),
		everywhere(&discordgo.ApplicationCommand{
			Name:        "status",
			Description: "Feed health, last ingest, pulse freshness, digest and alert state",
		}),
		everywhere(&discordgo.ApplicationCommand{
			Name:        "help",
			Description: "What pulsebot can do",
		}),
	}
}

func coinOption(desc string) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "coin", Description: desc, Autocomplete: true, MaxLength: 64}
}

func keywordOption(desc string) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "keyword", Description: desc, MaxLength: maxKeywordRunes}
}

func channelOption(desc string, required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", Description: desc, Required: required,
		ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews},
	}
}

func topicOption(desc string, required bool) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: desc, Required: required}
	for _, id := range tag.TopicIDs() {
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: id, Value: id})
	}
	return o
}

func floatPtr(f float64) *float64 { return &f }
