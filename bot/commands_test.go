package bot

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/bot/discordtest"
)

// commandPaths lists every command path of Commands ("alerts add").
func commandPaths(cmds []*discordgo.ApplicationCommand) []string {
	var out []string
	for _, c := range cmds {
		subs := subcommands(c.Options)
		if len(subs) == 0 {
			out = append(out, c.Name)
		}
		for _, s := range subs {
			out = append(out, c.Name+" "+s)
		}
	}
	return out
}

func TestCommandsMatchRoutes(t *testing.T) {
	b := New(nil, nil, nil)
	paths := commandPaths(Commands())
	want := []string{"pulse", "stories", "alerts add", "alerts pulse", "alerts list", "alerts remove",
		"follow", "unfollow", "following", "digest set", "digest off", "digest preview", "status", "help"}
	if !slices.Equal(paths, want) {
		t.Errorf("command paths = %v, want %v", paths, want)
	}
	for _, p := range paths {
		if _, ok := b.routes[p]; !ok {
			t.Errorf("/%s has no route", p)
		}
	}
	if len(b.routes) != len(paths) {
		t.Errorf("%d routes for %d command paths", len(b.routes), len(paths))
	}
	manage := int64(discordgo.PermissionManageGuild)
	for _, p := range paths {
		r := b.routes[p]
		server := strings.HasPrefix(p, "alerts") || strings.HasPrefix(p, "digest")
		if r.guildOnly != server {
			t.Errorf("/%s guildOnly = %v", p, r.guildOnly)
		}
		wantPerm := int64(0)
		if server && p != "digest preview" {
			wantPerm = manage
		}
		if r.perm != wantPerm {
			t.Errorf("/%s perm = %#x, want %#x", p, r.perm, wantPerm)
		}
		// the commands that attach the chart are slow; the digest preview
		// is only ever shown to the asker, so it is deferred privately
		chart := p == "pulse" || p == "digest preview"
		if r.slow != chart || r.private != (p == "digest preview") {
			t.Errorf("/%s slow = %v, private = %v", p, r.slow, r.private)
		}
	}
	for _, c := range Commands() {
		server := c.Name == "alerts" || c.Name == "digest"
		gotPerm := c.DefaultMemberPermissions != nil && *c.DefaultMemberPermissions == manage
		if gotPerm != server || (c.DefaultMemberPermissions != nil && !server) {
			t.Errorf("/%s default_member_permissions = %v", c.Name, c.DefaultMemberPermissions)
		}
		dm := c.Contexts != nil && slices.Contains(*c.Contexts, discordgo.InteractionContextBotDM)
		if dm == server {
			t.Errorf("/%s offered in DMs = %v", c.Name, dm)
		}
		if server && (c.DMPermission == nil || *c.DMPermission) {
			t.Errorf("/%s dm_permission = %v, want false", c.Name, c.DMPermission)
		}
		// Every autocomplete option has an answer.
		var walk func(opts []*discordgo.ApplicationCommandOption, path string)
		walk = func(opts []*discordgo.ApplicationCommandOption, path string) {
			for _, o := range opts {
				if o.Type == discordgo.ApplicationCommandOptionSubCommand {
					walk(o.Options, path+" "+o.Name)
					continue
				}
				if o.Autocomplete && b.routes[path].complete == nil {
					t.Errorf("/%s %s autocompletes without a handler", path, o.Name)
				}
			}
		}
		walk(c.Options, c.Name)
	}
}

// Commands must pass Discord's validation: names, description lengths,
// required options first, at most 25 choices. discordtest's bulk
// overwrite checks them the way Discord does.
func TestCommandsAreValid(t *testing.T) {
	name := regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)
	var check func(path string, opts []*discordgo.ApplicationCommandOption)
	check = func(path string, opts []*discordgo.ApplicationCommandOption) {
		optional := false
		for _, o := range opts {
			if !name.MatchString(o.Name) || runeLen(o.Description) < 1 || runeLen(o.Description) > 100 {
				t.Errorf("%s %s: name or description invalid (%q)", path, o.Name, o.Description)
			}
			if o.Required && optional {
				t.Errorf("%s %s: required after optional", path, o.Name)
			}
			optional = optional || !o.Required
			if len(o.Choices) > 25 {
				t.Errorf("%s %s: %d choices", path, o.Name, len(o.Choices))
			}
			check(path+" "+o.Name, o.Options)
		}
	}
	for _, c := range Commands() {
		if !name.MatchString(c.Name) || runeLen(c.Description) < 1 || runeLen(c.Description) > 100 {
			t.Errorf("/%s: name or description invalid", c.Name)
		}
		check("/"+c.Name, c.Options)
	}

	srv := discordtest.New(t, discordtest.Options{})
	body, err := json.Marshal(Commands())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, srv.URL()+"/api/v10/applications/1300000000000000001/commands", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bot test-token")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("bulk overwrite: %s", resp.Status)
	}
}

// The command set is hashed to skip needless re-registration, so it must
// not vary between calls.
func TestCommandsAreDeterministic(t *testing.T) {
	a, _ := json.Marshal(Commands())
	b, _ := json.Marshal(Commands())
	if !bytes.Equal(a, b) {
		t.Error("Commands() differs between calls")
	}
}
