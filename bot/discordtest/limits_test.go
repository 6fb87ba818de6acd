package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

const am = `"allowed_mentions":{"parse":[]}`

func embedJSON(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, fmt.Sprintf("%q:%s", kv[i], kv[i+1]))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func q(s string) string { b, _ := json.Marshal(s); return string(b) }

func fields(n int, name, value string) string {
	var fs []string
	for range n {
		fs = append(fs, embedJSON("name", q(name), "value", q(value)))
	}
	return "[" + strings.Join(fs, ",") + "]"
}

func TestCheckMessage(t *testing.T) {
	x := strings.Repeat
	tests := []struct {
		name    string
		payload string
		create  bool
		files   bool
		want    []string // violation strings, in order; nil = accepted
	}{
		{"plain message", `{"content":"hi",` + am + `}`, true, false, nil},
		{"2000 runes of emoji are fine", `{"content":` + q(x("📈", 2000)) + `,` + am + `}`, true, false, nil},
		{"2001 runes", `{"content":` + q(x("a", 2001)) + `,` + am + `}`, true, false, []string{"content: Must be 2000 or fewer in length. (got 2001)"}},
		{"allowed_mentions absent", `{"content":"hi"}`, true, false, []string{`allowed_mentions: allowed_mentions must be sent with "parse": [] (pulsebot rule: the bot never pings) (absent or null)`}},
		{"allowed_mentions null", `{"content":"hi","allowed_mentions":null}`, true, false, []string{`allowed_mentions: allowed_mentions must be sent with "parse": [] (pulsebot rule: the bot never pings) (absent or null)`}},
		{"parse null (zero discordgo value)", `{"content":"hi","allowed_mentions":{"parse":null,"replied_user":false}}`, true, false, []string{`allowed_mentions.parse: parse must be an explicit empty array [] (pulsebot rule: the bot never pings) (parse is null (a zero discordgo.MessageAllowedMentions))`}},
		{"parse absent", `{"content":"hi","allowed_mentions":{"users":["1"]}}`, true, false, []string{`allowed_mentions.parse: parse must be an explicit empty array [] (pulsebot rule: the bot never pings) (parse is absent)`}},
		{"parse allows pings", `{"content":"hi","allowed_mentions":{"parse":["everyone"]}}`, true, false, []string{`allowed_mentions.parse: parse must be an explicit empty array [] (pulsebot rule: the bot never pings) (got ["everyone"])`}},
		{"components only need no allowed_mentions", `{"components":[{"type":1,"components":[]}]}`, true, false, nil},
		{"empty new message", `{"content":""}`, true, false, []string{"Cannot send an empty message"}},
		{"files only", `{}`, true, true, nil},
		{"empty edit is fine", `{}`, false, false, nil},
		{"embed-only needs allowed_mentions", `{"embeds":[{"title":"t"}]}`, true, false, []string{`allowed_mentions: allowed_mentions must be sent with "parse": [] (pulsebot rule: the bot never pings) (absent or null)`}},
		{"11 embeds", `{"embeds":[` + strings.TrimSuffix(x(`{"title":"t"},`, 11), ",") + `],` + am + `}`, true, false, []string{"embeds: Must be 10 or fewer in length. (got 11)"}},
		{"embed limits", `{"embeds":[` + embedJSON(
			"title", q(x("t", 257)), "description", q(x("d", 4097)),
			"footer", embedJSON("text", q(x("f", 2049))), "author", embedJSON("name", q(x("a", 257)))) + `],` + am + `}`, true, false,
			[]string{
				"embeds.0.title: Must be 256 or fewer in length. (got 257)",
				"embeds.0.description: Must be 4096 or fewer in length. (got 4097)",
				"embeds.0.footer.text: Must be 2048 or fewer in length. (got 2049)",
				"embeds.0.author.name: Must be 256 or fewer in length. (got 257)",
				"embeds: Embed size exceeds maximum size of 6000 (got 6660)",
			}},
		{"26 fields", `{"embeds":[` + embedJSON("fields", fields(26, "n", "v")) + `],` + am + `}`, true, false, []string{"embeds.0.fields: Must be 25 or fewer in length. (got 26)"}},
		{"empty field name and value", `{"embeds":[` + embedJSON("fields", `[{"name":"","value":""}]`) + `],` + am + `}`, true, false,
			[]string{"embeds.0.fields.0.name: This field is required", "embeds.0.fields.0.value: This field is required"}},
		{"field too long", `{"embeds":[` + embedJSON("fields", fields(1, x("n", 257), x("v", 1025))) + `],` + am + `}`, true, false,
			[]string{"embeds.0.fields.0.name: Must be 256 or fewer in length. (got 257)", "embeds.0.fields.0.value: Must be 1024 or fewer in length. (got 1025)"}},
		{"6000 total across embeds", `{"embeds":[` + embedJSON("description", q(x("d", 4000))) + `,` + embedJSON("description", q(x("d", 2000))) + `],` + am + `}`, true, false, nil},
		{"6001 total across embeds", `{"embeds":[` + embedJSON("description", q(x("d", 4000))) + `,` + embedJSON("description", q(x("d", 2000)), "title", `"t"`) + `],` + am + `}`, true, false,
			[]string{"embeds: Embed size exceeds maximum size of 6000 (got 6001)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, v := range checkMessage(json.RawMessage(tt.payload), "", tt.create, tt.files) {
				got = append(got, v.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("violations:\ngot  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCheckChoicesAndCommands(t *testing.T) {
	tests := []struct {
		name  string
		check func() []violation
		want  []string
	}{
		{"25 choices", func() []violation { return checkChoices(choicesJSON(25, "n", "v")) }, nil},
		{"26 choices", func() []violation { return checkChoices(choicesJSON(26, "n", "v")) }, []string{"data.choices: Must be 25 or fewer in length. (got 26)"}},
		{"choice name and value too long", func() []violation {
			return checkChoices(choicesJSON(1, strings.Repeat("n", 101), strings.Repeat("v", 101)))
		},
			[]string{"data.choices.0.name: Must be between 1 and 100 in length. (got 101)", "data.choices.0.value: Must be 100 or fewer in length. (got 101)"}},
		{"empty choice name", func() []violation { return checkChoices(choicesJSON(1, "", "v")) }, []string{"data.choices.0.name: Must be between 1 and 100 in length. (got 0)"}},
		{"numeric choice values", func() []violation { return checkChoices(json.RawMessage(`{"choices":[{"name":"seven","value":7}]}`)) }, nil},
		{"valid commands", func() []violation {
			return checkCommands(json.RawMessage(`[{"name":"pulse","description":"Today's pulse","options":[{"type":3,"name":"coin","description":"Coin","required":true},{"type":4,"name":"days","description":"Days"}]},{"name":"Show Pulse","type":3}]`))
		}, nil},
		{"bad command names", func() []violation {
			return checkCommands(json.RawMessage(`[{"name":"Pulse","description":"d"},{"name":"has space","description":"d"},{"name":"pulse","description":""}]`))
		}, []string{`0.name: Command name is invalid ("Pulse")`, `1.name: Command name is invalid ("has space")`, "2.description: Must be between 1 and 100 in length. (got 0)"}},
		{"required after optional", func() []violation {
			return checkCommands(json.RawMessage(`[{"name":"p","description":"d","options":[{"type":3,"name":"a","description":"d"},{"type":3,"name":"b","description":"d","required":true}]}]`))
		}, []string{"0.options.1.required: Required options must be placed before non-required options"}},
		{"duplicate names", func() []violation {
			return checkCommands(json.RawMessage(`[{"name":"p","description":"d"},{"name":"p","description":"e"}]`))
		}, []string{"1.name: Application command names must be unique (p)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, v := range tt.check() {
				got = append(got, v.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("violations:\ngot  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func choicesJSON(n int, name, value string) json.RawMessage {
	var cs []map[string]string
	for range n {
		cs = append(cs, map[string]string{"name": name, "value": value})
	}
	b, _ := json.Marshal(map[string]any{"choices": cs})
	return b
}

func TestFormErrors(t *testing.T) {
	got, _ := json.Marshal(formErrors([]violation{tooLong("embeds.0.title", 256, 300), required("embeds.0.fields.1.value")}))
	want := `{"code":50035,"errors":{"embeds":{"0":{"fields":{"1":{"value":{"_errors":[{"code":"BASE_TYPE_REQUIRED","message":"This field is required"}]}}},"title":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 256 or fewer in length."}]}}}},"message":"Invalid Form Body"}`
	if string(got) != want {
		t.Errorf("formErrors =\n%s\nwant\n%s", got, want)
	}
}

// TestLimitsThroughDiscordgo sends violating messages the way a careless
// bot would; the fake flags each (captured by a recorder instead of failing
// this test) and answers 400, which discordgo returns as a RESTError.
func TestLimitsThroughDiscordgo(t *testing.T) {
	t.Parallel()
	rec := &recorder{TB: t}
	srv := New(rec, Options{})
	dg := newSession(t, srv, srv.Options().Token)
	ch := srv.Options().Guilds[0].Channels[0].ID

	tests := []struct {
		name string
		msg  *discordgo.MessageSend
		want string // substring of the flagged error; "" = accepted
	}{
		{"fine", &discordgo.MessageSend{Content: "Pulse 6.2", AllowedMentions: noMentions()}, ""},
		{"too long", &discordgo.MessageSend{Content: strings.Repeat("x", 2001), AllowedMentions: noMentions()}, "content: Must be 2000 or fewer in length."},
		{"nil AllowedMentions", &discordgo.MessageSend{Content: "hi @everyone"}, "allowed_mentions: allowed_mentions must be sent"},
		{"zero AllowedMentions sends parse null", &discordgo.MessageSend{Content: "hi", AllowedMentions: &discordgo.MessageAllowedMentions{}}, "parse is null"},
		{"empty field value", &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{Fields: []*discordgo.MessageEmbedField{{Name: "BTC"}}}}, AllowedMentions: noMentions()}, "embeds.0.fields.0.value: This field is required"},
	}
	for _, tt := range tests {
		before := len(rec.errors())
		_, err := dg.ChannelMessageSendComplex(ch, tt.msg)
		var rest *discordgo.RESTError
		if tt.want == "" {
			if err != nil || len(rec.errors()) != before {
				t.Errorf("%s: err %v, flagged %v", tt.name, err, rec.errors()[before:])
			}
			continue
		}
		if !errors.As(err, &rest) || rest.Message == nil || rest.Message.Code != 50035 {
			t.Errorf("%s: err = %v, want a 400 Invalid Form Body", tt.name, err)
		}
		if !rec.hasError("POST /api/v9/channels/"+ch+"/messages", tt.want) {
			t.Errorf("%s: not flagged with %q; flagged: %v", tt.name, tt.want, rec.errors())
		}
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("accepted %d messages, want only the valid one", n)
	}
}
