package bot

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/bot/discordtest"
)

// manager holds Manage Server on top of a member's usual permissions.
var manager = discordtest.WithPermissions(strconv.FormatInt(1799872721570881|discordgo.PermissionManageGuild, 10))

// e2eStep is one interaction of the command table and what its answer must
// be. Steps run in order (alerts are added, then listed, then removed);
// {alert}, {other} and {follow} in option values and wanted text stand for
// ids saved by earlier steps.
type e2eStep struct {
	name string
	in   func(v *e2eVars) discordtest.Interaction

	kind      discordgo.InteractionResponseType // 0 = 4 (an immediate message)
	followup  bool                              // deferred, then an ephemeral follow-up (deferred replies that turn out ephemeral)
	ephemeral bool
	contains  []string // all in content + embeds
	png       bool     // the chart attached and shown in the embed
	choices   []string // autocomplete: each a prefix of some choice's name
	roles     []string // allowed_mentions.roles; parse is always []
	save      string   // remember the "#N" of the answer under this name
}

// e2eVars are one transport run's guild, channels, role, user and the ids
// it saved.
type e2eVars struct {
	guild, channel, alerts, role string
	user                         discordtest.User
	ids                          map[string]string
}

func (v *e2eVars) here(opts ...discordtest.Option) []discordtest.Option {
	return append([]discordtest.Option{discordtest.InGuild(v.guild, v.channel), discordtest.By(v.user)}, opts...)
}

func (v *e2eVars) cmd(name string, opts ...discordtest.Option) discordtest.Interaction {
	return discordtest.SlashCommand(name, v.here(opts...)...)
}

func (v *e2eVars) id(name string) int64 {
	n, _ := strconv.ParseInt(v.ids[name], 10, 64)
	return n
}

var savedID = regexp.MustCompile(`\*\*#(\d+)\*\*`)

// e2eSteps is every command, happy path and bad input.
func e2eSteps() []e2eStep {
	S, I, N := discordtest.StringOpt, discordtest.IntOpt, discordtest.NumberOpt
	Sub := discordtest.Sub
	return []e2eStep{
		{name: "help", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("help") },
			ephemeral: true, contains: []string{"pulsebot commands", "/pulse", "/alerts add", "/digest preview", "/status"}},

		// /pulse is slow (the chart): deferred, then the original edited
		// with the PNG; user errors come as an ephemeral follow-up.
		{name: "pulse today", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("pulse") },
			kind: discordgo.InteractionResponseDeferredChannelMessageWithSource, png: true,
			contains: []string{"Market Pulse · 2026-11-26", "/ 10", "Today so far"}},
		{name: "pulse coin and date", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("pulse", S("coin", "btc"), S("date", "2026-11-25"))
		}, kind: discordgo.InteractionResponseDeferredChannelMessageWithSource, png: true,
			contains: []string{"Market Pulse · BTC (Bitcoin) · 2026-11-25"}},
		{name: "pulse unknown coin", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("pulse", S("coin", "notacoin")) },
			kind: discordgo.InteractionResponseDeferredChannelMessageWithSource, followup: true, ephemeral: true,
			contains: []string{"I don't track a coin called “notacoin”"}},
		{name: "pulse bad date", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("pulse", S("date", "26/11/2026")) },
			kind: discordgo.InteractionResponseDeferredChannelMessageWithSource, followup: true, ephemeral: true,
			contains: []string{"is not a date (use YYYY-MM-DD)"}},
		{name: "pulse before the data", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("pulse", S("date", "2019-01-01")) },
			kind: discordgo.InteractionResponseDeferredChannelMessageWithSource, followup: true, ephemeral: true,
			contains: []string{"No pulse for 2019-01-01: data starts 2026-11-"}},

		{name: "stories", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("stories") },
			contains: []string{"Top stories of the last 24 hours", "**1.**", "reported by"}},
		{name: "stories of a coin", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("stories", S("coin", "BTC"), I("limit", 3)) },
			contains: []string{"stories of the last 24 hours about BTC", "BTC"}},
		{name: "stories bad limit", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("stories", I("limit", 11)) },
			ephemeral: true, contains: []string{"limit is a number of stories from 1 to 10 (got 11)."}},
		{name: "stories bad topic", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("stories", S("topic", "gossip")) },
			ephemeral: true, contains: []string{"“gossip” is not a topic"}},

		{name: "alerts add", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("alerts", manager, Sub("add", S("keyword", "etf"), discordtest.ChannelOpt("channel", v.alerts)))
		}, ephemeral: true, contains: []string{"Saved alert **#", "keyword “etf”", "→ <#{alerts}>"}, save: "alert"},
		{name: "alerts add without a filter", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("alerts", manager, Sub("add", discordtest.ChannelOpt("channel", v.alerts)))
		}, ephemeral: true, contains: []string{"Give at least one filter: keyword, coin, topic or min_outlets."}},
		{name: "alerts add unknown coin", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("alerts", manager, Sub("add", S("coin", "notacoin")))
		}, ephemeral: true, contains: []string{"I don't track a coin called"}},
		{name: "alerts add without Manage Server", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("alerts", Sub("add", S("keyword", "etf")))
		}, ephemeral: true, contains: []string{"You need the Manage Server permission to use /alerts add."}},
		{name: "alerts add in a DM", in: func(v *e2eVars) discordtest.Interaction {
			return discordtest.SlashCommand("alerts", discordtest.InDM(), discordtest.By(v.user), Sub("add", S("keyword", "etf")))
		}, ephemeral: true, contains: []string{"/alerts add works in a server, not in DMs."}},
		{name: "alerts pulse", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("alerts", manager, Sub("pulse", N("above", 7), N("below", 3), S("coin", "ETH")))
		}, ephemeral: true, contains: []string{"Saved alert **#", "when the ETH pulse rises above 7.0 or falls below 3.0", "→ <#{channel}>"}},
		{name: "alerts pulse without a level", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("alerts", manager, Sub("pulse"))
		}, ephemeral: true, contains: []string{"Give a level: above, below or both (0 to 10)."}},
		{name: "alerts list", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("alerts", manager, Sub("list")) },
			ephemeral: true, contains: []string{"Alerts in this server (2 of 50)", "**#{alert}**", "ETH pulse"}},
		{name: "another server's alert", in: func(v *e2eVars) discordtest.Interaction {
			return discordtest.SlashCommand("alerts", discordtest.InGuild(guildOther, chanOther), discordtest.By(v.user), manager, Sub("add", S("keyword", "hack "+v.guild)))
		}, ephemeral: true, contains: []string{"Saved alert **#"}, save: "other"},
		{name: "alerts remove another server's alert", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("alerts", manager, Sub("remove", I("id", v.id("other"))))
		}, ephemeral: true, contains: []string{"No alert #{other} in this server."}},
		{name: "alerts remove autocomplete", in: func(v *e2eVars) discordtest.Interaction {
			return discordtest.Autocomplete("alerts", v.here(manager, Sub("remove", discordtest.Focused("id", "")))...)
		}, kind: discordgo.InteractionApplicationCommandAutocompleteResult, choices: []string{"#{alert} — stories with keyword “etf”"}},
		{name: "alerts remove", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("alerts", manager, Sub("remove", I("id", v.id("alert"))))
		}, ephemeral: true, contains: []string{"Removed alert **#{alert}**"}},

		{name: "follow", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("follow", S("keyword", "etf"), S("coin", "bitcoin"))
		},
			ephemeral: true, contains: []string{"Following **#", "keyword “etf” · coin BTC", "by DM"}, save: "follow"},
		{name: "follow nothing", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("follow") },
			ephemeral: true, contains: []string{"Give a keyword, a coin or both."}},
		{name: "follow unknown coin", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("follow", S("coin", "notacoin")) },
			ephemeral: true, contains: []string{"I don't track a coin called"}},
		{name: "following", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("following") },
			ephemeral: true, contains: []string{"Your follows (1 of", "**#{follow}**"}},
		{name: "unfollow someone else's id", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("unfollow", I("id", 99999)) },
			ephemeral: true, contains: []string{"You have no follow #99999."}},
		{name: "unfollow", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("unfollow", I("id", v.id("follow"))) },
			ephemeral: true, contains: []string{"Stopped following **#{follow}**"}},

		{name: "digest set", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("digest", manager, Sub("set", discordtest.ChannelOpt("channel", v.alerts), S("time", "8:30"),
				S("timezone", "Europe/Berlin"), discordtest.RoleOpt("role", v.role)))
		}, ephemeral: true, contains: []string{"Saved: the daily digest goes to <#{alerts}> at 08:30 Europe/Berlin", "mentioning <@&{role}>"}},
		{name: "digest set bad time", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("digest", manager, Sub("set", discordtest.ChannelOpt("channel", v.alerts), S("time", "25:00")))
		}, ephemeral: true, contains: []string{"“25:00” is not a time of day"}},
		{name: "digest set bad timezone", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("digest", manager, Sub("set", discordtest.ChannelOpt("channel", v.alerts), S("time", "08:00"), S("timezone", "Mars/Olympus")))
		}, ephemeral: true, contains: []string{"“Mars/Olympus” is not a time zone I know"}},
		{name: "digest set without a channel", in: func(v *e2eVars) discordtest.Interaction {
			return v.cmd("digest", manager, Sub("set", S("time", "08:00")))
		}, ephemeral: true, contains: []string{"Give the channel the digest goes to."}},
		{name: "timezone autocomplete", in: func(v *e2eVars) discordtest.Interaction {
			return discordtest.Autocomplete("digest", v.here(manager, Sub("set", discordtest.Focused("timezone", "Europe/Ber")))...)
		}, kind: discordgo.InteractionApplicationCommandAutocompleteResult, choices: []string{"Europe/Berlin"}},
		{name: "digest preview", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("digest", Sub("preview")) },
			ephemeral: true, contains: []string{"**Preview** (only you see it)", "<@&{role}> Your daily crypto news digest", "Top stories of the last 24 hours"},
			kind: discordgo.InteractionResponseDeferredChannelMessageWithSource, roles: []string{"{role}"}, png: true},
		{name: "digest off", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("digest", manager, Sub("off")) },
			ephemeral: true, contains: []string{"Digest off: nothing more goes to <#{alerts}>."}},
		{name: "digest off again", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("digest", manager, Sub("off")) },
			ephemeral: true, contains: []string{"This server has no digest to turn off."}},

		{name: "status", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("status") },
			ephemeral: true, contains: []string{"pulsebot status", "4 healthy · 0 failing", "2026-11-26:", "Not set. /digest set schedules one.", "1 alert saved"}},
		{name: "coin autocomplete", in: func(v *e2eVars) discordtest.Interaction {
			return discordtest.Autocomplete("pulse", v.here(discordtest.Focused("coin", "bitc"))...)
		}, kind: discordgo.InteractionApplicationCommandAutocompleteResult, choices: []string{"BTC — Bitcoin"}},
		{name: "unknown command", in: func(v *e2eVars) discordtest.Interaction { return v.cmd("nosuch") },
			ephemeral: true, contains: []string{"Unknown command /nosuch. Try /help."}},
	}
}

// runCommandTable runs every step over one transport, in its own guild and
// as its own user, and checks each answer as Discord recorded it.
func runCommandTable(t *testing.T, r *running, transport string) {
	v := &e2eVars{guild: guildGateway, channel: chanGateway, alerts: "1300000000000000012", role: roleGateway,
		user: discordtest.User{ID: "1300000000000000101", Username: "gwen"}, ids: map[string]string{}}
	if transport == "http" {
		v = &e2eVars{guild: guildHTTP, channel: chanHTTP, alerts: "1300000000000000022", role: roleHTTP,
			user: discordtest.User{ID: "1300000000000000102", Username: "hattie"}, ids: map[string]string{}}
	}
	expand := func(s string) string {
		s = strings.NewReplacer("{alerts}", v.alerts, "{channel}", v.channel, "{role}", v.role).Replace(s)
		for k, id := range v.ids {
			s = strings.ReplaceAll(s, "{"+k+"}", id)
		}
		return s
	}
	for _, st := range e2eSteps() {
		ok := t.Run(st.name, func(t *testing.T) {
			a := r.interact(t, testCtx(t), transport, st.in(v))
			want := st.kind
			if want == 0 {
				want = discordgo.InteractionResponseChannelMessageWithSource
			}
			if a.cb.Type != want {
				t.Fatalf("callback type %d, want %d (final answer %q)", a.cb.Type, want, a.text())
			}
			if transport == "http" && !a.cb.ViaHTTP {
				t.Errorf("HTTP interaction answered by a REST callback")
			}
			if want == discordgo.InteractionApplicationCommandAutocompleteResult {
				var names []string
				for _, c := range a.cb.Choices {
					names = append(names, c.Name)
				}
				for _, w := range st.choices {
					found := false
					for _, n := range names {
						found = found || strings.HasPrefix(n, expand(w))
					}
					if !found {
						t.Errorf("choices %q lack %q", names, expand(w))
					}
				}
				return
			}
			if a.followup != st.followup {
				t.Errorf("answered by follow-up = %v, want %v", a.followup, st.followup)
			}
			if a.ephemeral() != st.ephemeral {
				t.Errorf("ephemeral = %v, want %v: %q", a.ephemeral(), st.ephemeral, a.text())
			}
			text := a.text()
			for _, w := range st.contains {
				if !strings.Contains(text, expand(w)) {
					t.Errorf("answer lacks %q:\n%s", expand(w), text)
				}
			}
			if st.png {
				if len(a.final.Files) != 1 || a.final.Files[0].Name != "pulse.png" || !bytes.HasPrefix(a.final.Files[0].Data, []byte("\x89PNG\r\n\x1a\n")) {
					t.Errorf("files = %d, want pulse.png with a PNG in it", len(a.final.Files))
				}
				if len(a.final.Embeds) == 0 || a.final.Embeds[0].Image == nil || a.final.Embeds[0].Image.URL != "attachment://pulse.png" {
					t.Errorf("embed does not show the chart")
				}
			} else if len(a.final.Files) != 0 {
				t.Errorf("%d files attached, want none", len(a.final.Files))
			}
			var am struct {
				Parse *[]string `json:"parse"`
				Roles []string  `json:"roles"`
				Users []string  `json:"users"`
			}
			json.Unmarshal(a.final.AllowedMentions, &am)
			var wantRoles []string
			for _, r := range st.roles {
				wantRoles = append(wantRoles, expand(r))
			}
			if am.Parse == nil || len(*am.Parse) != 0 || strings.Join(am.Roles, ",") != strings.Join(wantRoles, ",") || len(am.Users) != 0 {
				t.Errorf("allowed_mentions = %s, want parse [] and roles %q", a.final.AllowedMentions, wantRoles)
			}
			if st.save != "" {
				m := savedID.FindStringSubmatch(text)
				if m == nil {
					t.Fatalf("no **#id** in %q", text)
				}
				v.ids[st.save] = m[1]
			}
		})
		if !ok && st.save != "" {
			t.Fatalf("later steps need what %q saves", st.name)
		}
	}
}
