package discordtest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

func twoGuilds() []Guild {
	return []Guild{
		{ID: "1300000000000000500", Name: "Crypto Desk", MemberCount: 42,
			Channels: []Channel{{ID: "1300000000000000501", Name: "news"}, {ID: "1300000000000000502", Name: "pulse", Topic: "daily pulse"}},
			Roles:    []Role{{ID: "1300000000000000503", Name: "mods", Permissions: "8", Position: 1}}},
		{ID: "1300000000000000600", Name: "Second", Channels: []Channel{{Name: "general"}}},
	}
}

// TestGatewayReconnect drops the connection twice: first the session
// survives and discordgo RESUMEs (and gets the dispatch it missed), then
// the session is forgotten and discordgo, answered INVALID_SESSION, starts
// over with IDENTIFY. One test, because each reconnect costs discordgo a
// one-second sleep.
func TestGatewayReconnect(t *testing.T) {
	t.Parallel()
	srv := New(t, Options{})
	ctx := testCtx(t)
	answered := make(chan string, 2)
	openSession(t, srv, func(dg *discordgo.Session) {
		dg.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
			err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "pong", AllowedMentions: noMentions()},
			})
			if err != nil {
				t.Errorf("InteractionRespond: %v", err)
			}
			send(t, answered, i.ID)
		})
	})
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	session, seq := srv.SessionID(), srv.Sequence()

	if err := srv.DropConnection(ctx); err != nil {
		t.Fatal(err)
	}
	// Nothing is live now, so this dispatch is only logged: the bot can
	// only see it through RESUME's replay.
	ex, err := srv.Send(SlashCommand("ping"))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitResumed(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := ex.WaitCallback(ctx); err != nil {
		t.Fatal(err)
	}
	if id := recv(t, ctx, answered, "replayed interaction"); id != ex.Interaction.ID {
		t.Errorf("bot answered %s, want %s", id, ex.Interaction.ID)
	}
	if srv.Resumes() != 1 || srv.Identifies() != 1 || srv.Connections() != 2 {
		t.Errorf("resumes %d, identifies %d, connections %d; want 1, 1, 2", srv.Resumes(), srv.Identifies(), srv.Connections())
	}
	if srv.SessionID() != session {
		t.Errorf("session changed across RESUME: %s -> %s", session, srv.SessionID())
	}
	// INTERACTION_CREATE and RESUMED each took a sequence number.
	if got := srv.Sequence(); got != seq+2 {
		t.Errorf("Sequence() = %d, want %d", got, seq+2)
	}

	srv.InvalidateSession()
	if err := srv.DropConnection(ctx); err != nil {
		t.Fatal(err)
	}
	if err := srv.Until(ctx, func() bool { return srv.Identifies() == 2 }); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	if srv.InvalidSessions() != 1 || srv.Resumes() != 1 || srv.SessionID() == session {
		t.Errorf("invalid sessions %d, resumes %d, session %s (was %s); want 1, 1 and a new session",
			srv.InvalidSessions(), srv.Resumes(), srv.SessionID(), session)
	}
	// The new session works.
	if _, err := srv.Interact(ctx, SlashCommand("ping")); err != nil {
		t.Fatal(err)
	}
}

func TestGatewayWrongTokenClosed4004(t *testing.T) {
	t.Parallel()
	srv := New(t, Options{Token: "right"})
	dg := newSession(t, srv, "wrong")
	err := dg.Open()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != CloseAuthenticationFailed {
		t.Fatalf("Open() = %v, want close %d", err, CloseAuthenticationFailed)
	}
	if srv.Identifies() != 0 {
		t.Errorf("Identifies() = %d, want 0", srv.Identifies())
	}
}

// TestGatewayProtocol drives the gateway with a raw websocket client, for
// the cases discordgo never produces.
func TestGatewayProtocol(t *testing.T) {
	t.Parallel()
	srv := New(t, Options{Token: "tok"})
	type reply struct {
		op        int
		closeCode int
	}
	tests := []struct {
		name  string
		query string
		send  []string
		want  reply
	}{
		{"heartbeat is ACKed", "?v=10&encoding=json", []string{`{"op":1,"d":null}`}, reply{op: 11}},
		{"wrong token", "?v=9", []string{`{"op":2,"d":{"token":"nope","intents":1}}`}, reply{closeCode: 4004}},
		{"token with Bot prefix accepted", "?v=9", []string{`{"op":2,"d":{"token":"Bot tok","intents":1}}`}, reply{op: 0}},
		{"privileged intent not enabled", "?v=9", []string{`{"op":2,"d":{"token":"tok","intents":32768}}`}, reply{closeCode: 4014}},
		{"missing intents", "?v=9", []string{`{"op":2,"d":{"token":"tok"}}`}, reply{closeCode: 4013}},
		{"unknown opcode", "?v=9", []string{`{"op":42,"d":null}`}, reply{closeCode: 4001}},
		{"not JSON", "?v=9", []string{`hello`}, reply{closeCode: 4002}},
		{"presence before identify", "?v=9", []string{`{"op":3,"d":{}}`}, reply{closeCode: 4003}},
		{"bad API version", "?v=6", nil, reply{closeCode: 4012}},
		{"resume of unknown session", "?v=9", []string{`{"op":6,"d":{"token":"tok","session_id":"nope","seq":0}}`}, reply{op: 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, _, err := websocket.DefaultDialer.Dial(srv.GatewayURL()+tt.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer ws.Close()
			ws.SetReadDeadline(time.Now().Add(5 * time.Second))
			var hello struct {
				Op int `json:"op"`
				D  struct {
					HeartbeatInterval int `json:"heartbeat_interval"`
				} `json:"d"`
			}
			if tt.want.closeCode == 4012 {
				_, _, err := ws.ReadMessage()
				assertClose(t, err, 4012)
				return
			}
			if err := ws.ReadJSON(&hello); err != nil || hello.Op != 10 || hello.D.HeartbeatInterval != 41250 {
				t.Fatalf("first frame = %+v, %v; want HELLO with 41250ms", hello, err)
			}
			for _, m := range tt.send {
				if err := ws.WriteMessage(websocket.TextMessage, []byte(m)); err != nil {
					t.Fatal(err)
				}
			}
			_, data, err := ws.ReadMessage()
			if tt.want.closeCode != 0 {
				assertClose(t, err, tt.want.closeCode)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var f struct {
				Op int     `json:"op"`
				T  *string `json:"t"`
			}
			json.Unmarshal(data, &f)
			if f.Op != tt.want.op {
				t.Errorf("reply = %s, want op %d", data, tt.want.op)
			}
			if f.Op == 0 && (f.T == nil || *f.T != "READY") {
				t.Errorf("first dispatch = %s, want READY", data)
			}
			if f.Op == 9 && !strings.Contains(string(data), `"d":false`) {
				t.Errorf("INVALID_SESSION = %s, want d false (not resumable)", data)
			}
		})
	}
}

// deepCopy copies an event through JSON, away from discordgo's State.
func deepCopy[T any](t *testing.T, v *T) *T {
	b, err := json.Marshal(v)
	if err != nil {
		t.Errorf("copy %T: %v", v, err)
		return v
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		t.Errorf("copy %T: %v", v, err)
	}
	return out
}

func assertClose(t *testing.T, err error, code int) {
	t.Helper()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != code {
		t.Errorf("read = %v, want close %d", err, code)
	}
}
