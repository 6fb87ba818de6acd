package discordtest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// TestSession drives the fake with one real discordgo session, the way the
// bot will: READY and GUILD_CREATE, heartbeats, then interactions answered
// through discordgo's REST calls. The subtests share the session because
// discordgo's Close sleeps a second; each works on its own command and
// exchange. The fake reports into a recorder, and every subtest checks
// what got flagged while it ran.
func TestSession(t *testing.T) {
	t.Parallel()
	rec := &recorder{TB: t}
	// 250ms heartbeats: a second one comes soon, and discordgo only gives
	// up on ACKs after five intervals, which even a loaded machine meets.
	srv := New(rec, Options{Guilds: twoGuilds(), HeartbeatInterval: 250 * time.Millisecond})
	ctx := testCtx(t)

	ready := make(chan *discordgo.Ready, 1)
	guilds := make(chan *discordgo.GuildCreate, 2)
	handled := make(chan seen, 8)
	responders := map[string]func(*discordgo.Session, *discordgo.Interaction) error{
		"ping": respondPong, "pulse": respondPulse, "chart": respondDeferred, "news": respondFollowupTwice, "coins": respondChoices,
	}
	dg := openSession(t, srv, func(dg *discordgo.Session) {
		// Without State, discordgo leaves event structs alone, so async
		// handlers may read them (READY's guilds are otherwise rewritten
		// by the GUILD_CREATEs that follow).
		dg.StateEnabled = false
		dg.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { send(t, ready, r) })
		dg.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { send(t, guilds, g) })
		dg.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
			respond := responders[i.ApplicationCommandData().Name]
			send(t, handled, seen{in: i.Interaction, err: respond(s, i.Interaction)})
		})
	})

	flagged := func(t *testing.T, before int, want ...string) {
		t.Helper()
		got := rec.errors()[before:]
		if len(got) != len(want) {
			t.Errorf("flagged %q, want %d errors matching %q", got, len(want), want)
			return
		}
		for i, w := range want {
			if !strings.Contains(got[i], "/callback") || !strings.Contains(got[i], w) {
				t.Errorf("flagged %q, want it to mention %q", got[i], w)
			}
		}
	}

	t.Run("READY and GUILD_CREATE", func(t *testing.T) { checkReady(t, ctx, srv, ready, guilds) })

	// The first heartbeat goes out as Open returns. Once the server has
	// ACKed it, t1 is taken; the second heartbeat's ACK is written after
	// t1, and an interaction answered after that proves discordgo has read
	// it (the gateway is one ordered stream): LastHeartbeatAck > t1.
	t.Run("heartbeats ACKed", func(t *testing.T) {
		if err := srv.Until(ctx, func() bool { return srv.Heartbeats() >= 1 }); err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		if err := srv.Until(ctx, func() bool { return srv.Heartbeats() >= 2 }); err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Interact(ctx, SlashCommand("ping")); err != nil {
			t.Fatal(err)
		}
		if sw := recv(t, ctx, handled, "handler"); sw.err != nil {
			t.Fatal(sw.err)
		}
		dg.RLock()
		ack := dg.LastHeartbeatAck
		dg.RUnlock()
		if !ack.After(t1) {
			t.Errorf("discordgo's LastHeartbeatAck = %v, want after %v", ack, t1)
		}
	})

	t.Run("respond with a message", func(t *testing.T) {
		before := len(rec.errors())
		checkRespond(t, ctx, srv, handled)
		flagged(t, before)
	})
	t.Run("deferred then edit", func(t *testing.T) {
		before := len(rec.errors())
		checkDeferred(t, ctx, srv, handled)
		flagged(t, before)
	})
	t.Run("follow-up and double ack in DM", func(t *testing.T) {
		before := len(rec.errors())
		checkFollowup(t, ctx, srv, handled)
		flagged(t, before)
	})
	t.Run("autocomplete", func(t *testing.T) {
		before := len(rec.errors())
		ex, err := srv.Interact(ctx, Autocomplete("coins", Focused("coin", "bt"), StringOpt("period", "day")))
		if err != nil {
			t.Fatal(err)
		}
		if sw := recv(t, ctx, handled, "handler"); sw.err != nil || !sw.in.ApplicationCommandData().Options[0].Focused {
			t.Fatalf("handler: %v, options %v", sw.err, sw.in.ApplicationCommandData().Options)
		}
		if cb, _ := ex.Callback(); cb.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(cb.Choices) != 3 || cb.Choices[2].Value != "c" {
			t.Errorf("callback = %+v", cb)
		}
		flagged(t, before)
	})
	for _, tt := range []struct{ partial, want string }{
		{"many", "data.choices: Must be 25 or fewer in length. (got 26)"},
		{"wrong type", "type: Value must be one of [8]."},
	} {
		t.Run("autocomplete rejected: "+tt.partial, func(t *testing.T) {
			before := len(rec.errors())
			ex, err := srv.Send(Autocomplete("coins", Focused("coin", tt.partial)))
			if err != nil {
				t.Fatal(err)
			}
			sw := recv(t, ctx, handled, "handler")
			var rest *discordgo.RESTError
			if !errors.As(sw.err, &rest) || rest.Response.StatusCode != http.StatusBadRequest {
				t.Errorf("bot got %v, want a 400", sw.err)
			}
			if _, ok := ex.Callback(); ok {
				t.Errorf("rejected callback recorded as the response")
			}
			flagged(t, before, tt.want)
		})
	}
}

func checkReady(t *testing.T, ctx context.Context, srv *Server, ready <-chan *discordgo.Ready, guilds <-chan *discordgo.GuildCreate) {
	r := recv(t, ctx, ready, "READY")
	opts := srv.Options()
	if r.SessionID == "" || r.SessionID != srv.SessionID() {
		t.Errorf("READY session_id = %q, want the fake's %q", r.SessionID, srv.SessionID())
	}
	if r.Application == nil || r.Application.ID != opts.AppID {
		t.Errorf("READY application = %+v, want id %s", r.Application, opts.AppID)
	}
	if r.User == nil || r.User.ID != opts.BotUserID || !r.User.Bot {
		t.Errorf("READY user = %+v, want bot %s", r.User, opts.BotUserID)
	}
	if r.Version != 9 {
		t.Errorf("READY v = %d, want 9 (the version discordgo asked for)", r.Version)
	}
	if len(r.Guilds) != 2 || !r.Guilds[0].Unavailable {
		t.Errorf("READY guilds = %+v, want 2 unavailable", r.Guilds)
	}

	got := map[string]*discordgo.GuildCreate{}
	for range 2 {
		g := recv(t, ctx, guilds, "GUILD_CREATE")
		got[g.ID] = g
	}
	desk := got["1300000000000000500"]
	if desk == nil {
		t.Fatalf("no GUILD_CREATE for the first guild; got %v", got)
	}
	if desk.Name != "Crypto Desk" || desk.MemberCount != 42 || len(desk.Channels) != 2 {
		t.Errorf("GUILD_CREATE = name %q members %d channels %d, want Crypto Desk 42 2", desk.Name, desk.MemberCount, len(desk.Channels))
	}
	if len(desk.Roles) != 2 || desk.Roles[0].Name != "@everyone" || desk.Roles[0].ID != desk.ID || desk.Roles[1].Permissions != 8 {
		t.Errorf("roles = %+v, want @everyone (id = guild id) then mods with permissions 8", desk.Roles)
	}
	if desk.Channels[1].Topic != "daily pulse" {
		t.Errorf("channel topic = %q", desk.Channels[1].Topic)
	}
	second := got["1300000000000000600"]
	if second == nil || len(second.Channels) != 1 || second.Channels[0].ID == "" {
		t.Errorf("second guild = %+v, want one channel with a generated id", second)
	}
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := srv.Intents(), int(discordgo.IntentsGuilds); got != want {
		t.Errorf("Intents() = %d, want %d", got, want)
	}
	if srv.Identifies() != 1 || srv.Sequence() != 3 {
		t.Errorf("Identifies() = %d, Sequence() = %d; want 1 and 3 (READY + 2 GUILD_CREATE)", srv.Identifies(), srv.Sequence())
	}
}
