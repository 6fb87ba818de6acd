package discordtest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/bwmarrin/discordgo"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// TestInteractionJSON pins the payloads the builders produce (ids are
// deterministic) and checks that discordgo decodes them.
func TestInteractionJSON(t *testing.T) {
	bob := User{ID: "1300000000000000200", Username: "bob", GlobalName: "Bob"}
	tests := []struct {
		name string
		in   Interaction
	}{
		{"slash_guild", SlashCommand("pulse",
			Group("alerts", Sub("add", StringOpt("coin", "BTC"), IntOpt("threshold", 8), NumberOpt("move", -2.5),
				BoolOpt("dm", true), ChannelOpt("channel", "1300000000000000011"), RoleOpt("role", "1300000000000000010"), UserOpt("for", bob))),
			WithPermissions("8"), WithRoles("1300000000000000300"))},
		{"slash_dm", SlashCommand("news", InDM(), By(bob), WithLocale("de"))},
		{"autocomplete", Autocomplete("pulse", Sub("show", Focused("coin", "et")))},
		{"button", Button("news:next", "1300000000000000400")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := New(t, Options{}) // a fresh fake per case keeps the ids stable
			got := srv.Prepare(tt.in).JSON()
			var pretty bytes.Buffer
			json.Indent(&pretty, got, "", "  ")
			pretty.WriteByte('\n')
			golden := filepath.Join("testdata", tt.name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("payload differs from %s (go test -update to accept):\n%s", golden, pretty.Bytes())
			}
			var in discordgo.Interaction
			if err := json.Unmarshal(got, &in); err != nil {
				t.Fatalf("discordgo cannot decode the payload: %v", err)
			}
			if in.Type != tt.in.Type || in.Token == "" || in.AppID != srv.Options().AppID {
				t.Errorf("decoded type %d token %q app %q", in.Type, in.Token, in.AppID)
			}
		})
	}
}

// TestInteractionJSONStrings: Discord sends snowflakes and permission
// bitfields as JSON strings; bots decoding them as numbers break.
func TestInteractionJSONStrings(t *testing.T) {
	srv := New(t, Options{})
	var m map[string]any
	if err := json.Unmarshal(srv.Prepare(SlashCommand("pulse", IntOpt("days", 3))).JSON(), &m); err != nil {
		t.Fatal(err)
	}
	member := m["member"].(map[string]any)
	data := m["data"].(map[string]any)
	for name, v := range map[string]any{
		"id": m["id"], "application_id": m["application_id"], "guild_id": m["guild_id"], "channel_id": m["channel_id"],
		"app_permissions": m["app_permissions"], "member.permissions": member["permissions"],
		"member.user.id": member["user"].(map[string]any)["id"], "data.id": data["id"],
	} {
		if _, ok := v.(string); !ok {
			t.Errorf("%s = %#v, want a JSON string", name, v)
		}
	}
	opt := data["options"].([]any)[0].(map[string]any)
	if v, ok := opt["value"].(float64); !ok || v != 3 {
		t.Errorf("integer option value = %#v, want the JSON number 3", opt["value"])
	}
}
