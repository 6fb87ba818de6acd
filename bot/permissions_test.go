package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/store"
)

// settingsSnapshot is every alert and digest row as text, to prove a
// command changed nothing.
func settingsSnapshot(t *testing.T, st *store.Store) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT id, guild_id, channel_id, kind, keyword, coin, topic, min_outlets, COALESCE(above, -1), COALESCE(below, -1), created_by, created_at, disabled_reason FROM alerts ORDER BY id`,
		`SELECT guild_id, channel_id, time, timezone, role_id, silent, created_by, updated_at FROM digests ORDER BY guild_id`,
	} {
		rows, err := st.DB().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
	}
	return b.String()
}

// Acceptance 2: a member without Manage Server cannot change any alert or
// digest (0 rows changed), even though the interaction reaches the bot as
// if Discord had allowed the command: the check is the bot's own, from the
// member's permissions in the interaction, not default_member_permissions.
func TestMembersCannotChangeSettings(t *testing.T) {
	mutating := []string{
		`/alerts add keyword:"spot etf" channel:#alerts`,
		"/alerts add min_outlets:3",
		"/alerts pulse above:7 below:3 coin:BTC",
		"/alerts remove id:1",
		"/alerts remove id:2",
		"/digest set channel:#news time:08:00 role:@Traders",
		"/digest off",
	}
	for _, member := range []struct {
		name  string
		perms int64
	}{
		{"no permissions", 0},
		{"send messages only", discordgo.PermissionSendMessages},
		{"everything but Manage Server", discordgo.PermissionAll &^ discordgo.PermissionManageGuild &^ discordgo.PermissionAdministrator},
	} {
		t.Run(member.name, func(t *testing.T) {
			f := newHandlerFixture(t)
			// Settings an admin made, which the member's commands target.
			f.do(t, "/alerts add keyword:etf")
			f.do(t, "/alerts pulse below:2")
			f.do(t, "/digest set channel:#alerts time:09:00")
			before := settingsSnapshot(t, f.st)
			if count(t, f.st, "alerts") != 2 || count(t, f.st, "digests") != 1 {
				t.Fatal("setup did not save")
			}
			f.srv.perms = member.perms
			for _, line := range mutating {
				in := f.interaction(t, line)
				if in.Permissions != member.perms {
					t.Fatalf("interaction permissions = %d, want %d", in.Permissions, member.perms)
				}
				rep := f.bot.Handle(context.Background(), in)
				cmd := strings.Join(strings.Fields(line)[:2], " ")
				userErr(t, rep, "You need the Manage Server permission to use "+cmd+".")
				if after := settingsSnapshot(t, f.st); after != before {
					t.Fatalf("%s by a member changed rows:\nbefore %s\nafter  %s", line, before, after)
				}
			}
			// Reading the server's alerts is for managers too; the digest
			// preview and /status are for everyone.
			userErr(t, f.do(t, "/alerts list"), "You need the Manage Server permission")
			if rep := f.do(t, "/digest preview"); !strings.Contains(rep.Content, "**Preview**") {
				t.Errorf("a member's /digest preview = %+v", rep)
			}
		})
	}
}

func TestManagersAndAdministratorsMayChangeSettings(t *testing.T) {
	for _, perms := range []int64{discordgo.PermissionManageGuild, discordgo.PermissionAdministrator} {
		f := newHandlerFixture(t)
		f.srv.perms = perms
		if rep := f.do(t, "/alerts add keyword:etf"); !strings.Contains(rep.Content, "Saved alert") {
			t.Errorf("perms %#x: %+v", perms, rep)
		}
	}
}

func TestPermissionsTravelAsDiscordSendsThem(t *testing.T) {
	f := newHandlerFixture(t)
	f.srv.perms = discordgo.PermissionSendMessages
	di, err := f.srv.parseShellLine("/alerts list", Commands())
	if err != nil {
		t.Fatal(err)
	}
	// Discord sends member.permissions as a decimal string.
	raw, err := json.Marshal(di)
	if err != nil {
		t.Fatal(err)
	}
	if js := string(raw); !strings.Contains(js, `"permissions":"2048"`) {
		t.Errorf("interaction JSON lacks the string permissions: %s", js)
	}
}
