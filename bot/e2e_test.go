package bot

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/bot/discordtest"
)

// TestE2E runs the bot as main does (Serve with a token, so over the
// gateway, and with the fake's public key, so over signed HTTP
// interactions) against the Discord fake, with a store filled from the
// demo feeds. One Serve serves every subtest: discordgo's Close costs a
// second.
func TestE2E(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{Guilds: e2eGuilds(), OpenAPISpec: discordtest.SpecPath(t)})
	st, pulses := e2eStore(t)
	logs := &logSink{}
	b := e2eBot(t, st, pulses, logs.handler(), srv.Options().Token)
	// No registered command answers at once with a file (/pulse, the one
	// with a chart, is deferred); this one does, for the multipart
	// callback (gateway) and multipart HTTP response.
	b.routes["attach"] = route{handle: func(context.Context, *Interaction) (Reply, error) {
		return Reply{Content: "see attached", Files: []*discordgo.File{{Name: "a.txt", ContentType: "text/plain", Reader: strings.NewReader("hello")}}}, nil
	}}
	r := startServe(t, srv, b, ServeConfig{
		Token: srv.Options().Token, PublicKey: srv.PublicKey(), Log: slog.New(logs.handler()),
	}, true)
	r.logs = logs

	t.Run("start", func(t *testing.T) {
		ctx := testCtx(t)
		if got, want := srv.Intents(), int(discordgo.IntentsGuilds); got != want {
			t.Errorf("IDENTIFY intents = %d, want %d (Guilds only)", got, want)
		}
		if got := srv.CommandOverwrites(); got != 1 {
			t.Errorf("command overwrites at first start = %d, want 1", got)
		}
		if got, want := registered(t, srv, ""), len(Commands()); got != want {
			t.Errorf("registered %d global commands, want %d", got, want)
		}
		if err := srv.Ping(ctx, r.endpoint); err != nil {
			t.Errorf("PING over HTTP: %v", err)
		}
	})

	t.Run("commands", func(t *testing.T) {
		for _, transport := range []string{"gateway", "http"} {
			t.Run(transport, func(t *testing.T) {
				t.Parallel()
				runCommandTable(t, r, transport)
			})
		}
	})

	t.Run("immediate reply with a file", func(t *testing.T) {
		ctx := testCtx(t)
		for _, transport := range []string{"gateway", "http"} {
			a := r.interact(t, ctx, transport, discordtest.SlashCommand("attach", discordtest.InGuild(guildGateway, chanGateway)))
			if a.deferred || a.final.Content != "see attached" || len(a.final.Files) != 1 || string(a.final.Files[0].Data) != "hello" || a.final.Files[0].Name != "a.txt" {
				t.Errorf("%s: deferred %v, content %q, files %+v; want an immediate message with a.txt", transport, a.deferred, a.final.Content, a.final.Files)
			}
		}
	})

	t.Run("malformed", func(t *testing.T) {
		ctx := testCtx(t)
		// Over the gateway: an interaction without a token can't be
		// answered; it is refused, logged, and the bot goes on.
		bad := map[string]any{"id": "1300000000000009999", "application_id": srv.Options().AppID, "type": 2,
			"token": "", "version": 1, "user": map[string]any{"id": "1", "username": "x"},
			"data": map[string]any{"id": "1", "name": "help", "type": 1}}
		if _, err := srv.Dispatch("INTERACTION_CREATE", bad); err != nil {
			t.Fatal(err)
		}
		a := r.interact(t, ctx, "gateway", discordtest.SlashCommand("help", discordtest.InGuild(guildGateway, chanGateway)))
		if a.cb.Type != discordgo.InteractionResponseChannelMessageWithSource {
			t.Errorf("help after a malformed interaction: callback type %d", a.cb.Type)
		}
		// Over HTTP: signed, but without a token either: 400, no handler.
		bad["id"] = "1300000000000009998"
		body, _ := json.Marshal(bad)
		if code := postSigned(t, r.endpoint, body, time.Now(), srv.Sign); code != http.StatusBadRequest {
			t.Errorf("malformed HTTP interaction: status %d, want 400", code)
		}
		if err := logs.waitFor(ctx, "malformed interaction refused", 2); err != nil {
			t.Error(err)
		}
	})

	t.Run("healthz and metrics", func(t *testing.T) {
		code, body := r.get(t, "/healthz")
		var h struct{ Status, Store, Gateway string }
		if err := json.Unmarshal([]byte(body), &h); err != nil || code != 200 || h.Status != "ok" || h.Store != "ok" || h.Gateway != "connected" {
			t.Errorf("GET /healthz = %d %s, want 200 ok/ok/connected", code, body)
		}
		code, text := r.get(t, "/metrics")
		if code != 200 {
			t.Fatalf("GET /metrics = %d", code)
		}
		for _, series := range []string{
			`pulsebot_interactions_total{command="help",outcome="ok",transport="gateway"}`,
			`pulsebot_interactions_total{command="help",outcome="ok",transport="http"}`,
			`pulsebot_interactions_total{command="unknown",outcome="malformed",transport="gateway"}`,
			`pulsebot_interaction_handler_seconds_bucket{command="pulse",le="+Inf"}`,
			`pulsebot_interactions_deferred_total{command="pulse",reason="slow"}`,
			`pulsebot_http_interactions_rejected_total{reason="malformed"} 1`,
			`pulsebot_gateway_connected 1`,
			`pulsebot_gateway_connects_total 1`,
			`pulsebot_command_overwrites_total 1`,
			`go_goroutines`,
		} {
			if !strings.Contains(text, series) {
				t.Errorf("/metrics lacks %s", series)
			}
		}
	})

	// Last: it disturbs the connection the other subtests use.
	t.Run("reconnect and resume", func(t *testing.T) {
		ctx := testCtx(t)
		if err := srv.DropConnection(ctx); err != nil {
			t.Fatal(err)
		}
		if err := srv.WaitResumed(ctx, 1); err != nil {
			t.Fatal(err)
		}
		// discordgo runs event handlers on goroutines of their own: the
		// metrics are counted when the bot has logged the events, not when
		// the fake saw the RESUME.
		for _, line := range []string{"gateway session resumed", "gateway disconnected"} {
			if err := logs.waitFor(ctx, line, 1); err != nil {
				t.Fatal(err)
			}
		}
		if err := logs.waitFor(ctx, "gateway connected", 2); err != nil {
			t.Fatal(err)
		}
		if srv.Identifies() != 1 {
			t.Errorf("identifies = %d, want 1 (resumed, not re-identified)", srv.Identifies())
		}
		a := r.interact(t, ctx, "gateway", discordtest.SlashCommand("help", discordtest.InGuild(guildGateway, chanGateway)))
		if a.cb.Type != discordgo.InteractionResponseChannelMessageWithSource || a.final.Content+a.text() == "" {
			t.Errorf("help after resume: %+v", a.cb)
		}
		_, text := r.get(t, "/metrics")
		for _, series := range []string{"pulsebot_gateway_resumes_total 1", "pulsebot_gateway_connects_total 2", "pulsebot_gateway_disconnects_total 1"} {
			if !strings.Contains(text, series) {
				t.Errorf("/metrics lacks %s after the resume", series)
			}
		}
	})
}

// postSigned posts body to an interactions endpoint, signed at ts with
// sign, and returns the status.
func postSigned(t *testing.T, endpoint string, body []byte, ts time.Time, sign func(string, []byte) string) int {
	t.Helper()
	stamp := strconv.FormatInt(ts.Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Timestamp", stamp)
	req.Header.Set("X-Signature-Ed25519", sign(stamp, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestHTTPOnly: with a public key and no token, interactions are answered
// over HTTP, deferred ones through the interaction webhook, and no request
// carries an Authorization header; no gateway, no registration.
func TestHTTPOnly(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{Guilds: e2eGuilds()})
	st, pulses := e2eStore(t)
	b := e2eBot(t, st, pulses, slog.DiscardHandler, "")
	r := startServe(t, srv, b, ServeConfig{PublicKey: srv.PublicKey()}, true)
	ctx := testCtx(t)

	if err := srv.Ping(ctx, r.endpoint); err != nil {
		t.Fatal(err)
	}
	fast := r.interact(t, ctx, "http", discordtest.SlashCommand("help", discordtest.InGuild(guildHTTP, chanHTTP)))
	if !fast.cb.ViaHTTP || fast.deferred {
		t.Errorf("/help: callback %+v, want an immediate HTTP answer", fast.cb)
	}
	slow := r.interact(t, ctx, "http", discordtest.SlashCommand("pulse", discordtest.InGuild(guildHTTP, chanHTTP)))
	if !slow.deferred || slow.followup || len(slow.final.Files) != 1 {
		t.Errorf("/pulse: deferred %v, follow-up %v, %d files; want an edit with the chart", slow.deferred, slow.followup, len(slow.final.Files))
	}
	if srv.Connections() != 0 || srv.CommandOverwrites() != 0 {
		t.Errorf("gateway connections %d, overwrites %d; want none without a token", srv.Connections(), srv.CommandOverwrites())
	}
	var webhook int
	for _, req := range srv.Requests() {
		if req.Header.Get("Authorization") != "" {
			t.Errorf("%s %s carries an Authorization header", req.Method, req.Path)
		}
		if strings.HasPrefix(req.Route, "PATCH /webhooks/") {
			webhook++
		}
	}
	if webhook != 1 {
		t.Errorf("%d webhook edits, want 1", webhook)
	}
	code, body := r.get(t, "/healthz")
	if code != 200 || !strings.Contains(body, `"gateway":"off"`) {
		t.Errorf("GET /healthz = %d %s", code, body)
	}
}

// TestSignatureRejects (acceptance 4): a bad signature, a stale or future
// timestamp and an oversized body are refused before JSON is parsed and
// before any handler runs.
func TestSignatureRejects(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{})
	st, pulses := e2eStore(t)
	b := e2eBot(t, st, pulses, slog.DiscardHandler, "")
	var handled atomic.Int32
	r := startServe(t, srv, b, ServeConfig{PublicKey: srv.PublicKey(), beforeHandle: func(*Interaction) { handled.Add(1) }}, true)
	ctx := testCtx(t)

	valid := srv.Prepare(discordtest.SlashCommand("help")).JSON()
	otherKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	wrongKey := func(ts string, body []byte) string {
		return fmt.Sprintf("%x", ed25519.Sign(otherKey, append([]byte(ts), body...)))
	}
	big := append(bytes.Repeat([]byte(" "), 65<<10), valid...) // valid JSON, 65 KiB of leading space
	now := time.Now()
	for _, tt := range []struct {
		name   string
		body   []byte
		ts     time.Time
		sign   func(string, []byte) string
		status int
	}{
		{"bad signature", valid, now, wrongKey, 401},
		{"signature of another body", valid, now, func(ts string, _ []byte) string { return srv.Sign(ts, []byte("{}")) }, 401},
		{"no signature", valid, now, func(string, []byte) string { return "" }, 401},
		{"stale timestamp", valid, now.Add(-6 * time.Minute), srv.Sign, 401},
		{"future timestamp", valid, now.Add(6 * time.Minute), srv.Sign, 401},
		{"65 KiB body", big, now, srv.Sign, 413},
		{"not JSON", []byte("{"), now, srv.Sign, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := postSigned(t, r.endpoint, tt.body, tt.ts, tt.sign); got != tt.status {
				t.Errorf("status %d, want %d", got, tt.status)
			}
		})
	}
	if n := handled.Load(); n != 0 {
		t.Errorf("%d handlers ran for refused requests, want 0", n)
	}
	_, text := r.get(t, "/metrics")
	for _, series := range []string{
		`pulsebot_http_interactions_rejected_total{reason="bad_signature"} 3`,
		`pulsebot_http_interactions_rejected_total{reason="stale_timestamp"} 2`,
		`pulsebot_http_interactions_rejected_total{reason="too_large"} 1`,
		`pulsebot_http_interactions_rejected_total{reason="bad_json"} 1`,
	} {
		if !strings.Contains(text, series) {
			t.Errorf("/metrics lacks %s", series)
		}
	}
	// The same payload, properly signed, does reach the handler: the
	// count above could see one.
	if _, err := srv.PostInteraction(ctx, r.endpoint, discordtest.SlashCommand("help")); err != nil {
		t.Fatal(err)
	}
	if n := handled.Load(); n != 1 {
		t.Errorf("handlers run after one valid request = %d, want 1", n)
	}
}

// TestDeferByTimer: a command not marked slow that isn't ready by the
// deferral deadline is acknowledged (type 5) in time and edited when its
// reply is ready. The handler is held until the fake has the
// acknowledgement, so no timing is assumed.
func TestDeferByTimer(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{})
	st, pulses := e2eStore(t)
	b := e2eBot(t, st, pulses, slog.DiscardHandler, "")
	release := make(chan struct{})
	r := startServe(t, srv, b, ServeConfig{
		PublicKey:  srv.PublicKey(),
		deferAfter: time.Millisecond,
		beforeHandle: func(in *Interaction) {
			if in.Command == "help" {
				<-release
			}
		},
	}, true)
	ctx := testCtx(t)

	ex, err := srv.PostInteraction(ctx, r.endpoint, discordtest.SlashCommand("help"))
	if err != nil {
		t.Fatal(err)
	}
	cb, _ := ex.Callback()
	if cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("callback type %d, want 5 (deferred)", cb.Type)
	}
	close(release)
	if err := srv.Until(ctx, func() bool { return len(ex.Edits())+len(ex.Followups()) > 0 }); err != nil {
		t.Fatal(err)
	}
	// The reply, wherever it went (an edit, or an ephemeral follow-up for
	// an ephemeral reply), is the handler's.
	got := append(ex.Edits(), ex.Followups()...)[0]
	want := b.Handle(ctx, mustInteraction(t, ex.JSON()))
	if got.Content != want.Content || len(got.Embeds) != len(want.Embeds) || got.Ephemeral() != want.Ephemeral {
		t.Errorf("final answer = %q with %d embeds (ephemeral %v), want the handler's reply %q with %d (ephemeral %v)",
			got.Content, len(got.Embeds), got.Ephemeral(), want.Content, len(want.Embeds), want.Ephemeral)
	}
	_, text := r.get(t, "/metrics")
	if !strings.Contains(text, `pulsebot_interactions_deferred_total{command="help",reason="timer"} 1`) {
		t.Errorf("/metrics lacks the timer deferral")
	}
}

func mustInteraction(t *testing.T, payload []byte) *Interaction {
	t.Helper()
	var raw discordgo.Interaction
	if err := json.Unmarshal(payload, &raw); err != nil {
		t.Fatal(err)
	}
	in, err := FromDiscord(&raw)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestShutdownWaitsForInFlight: once ctx is done, Serve waits for an
// interaction still being answered, and its edit still goes out.
func TestShutdownWaitsForInFlight(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{})
	st, pulses := e2eStore(t)
	b := e2eBot(t, st, pulses, slog.DiscardHandler, "")
	release, started, shutdown := make(chan struct{}), make(chan struct{}), make(chan struct{})
	r := startServe(t, srv, b, ServeConfig{
		PublicKey: srv.PublicKey(),
		beforeHandle: func(in *Interaction) {
			if in.Command == "pulse" {
				close(started)
				<-release
			}
		},
		onShutdown: func() { close(shutdown) },
	}, true)
	ctx := testCtx(t)

	ex, err := srv.PostInteraction(ctx, r.endpoint, discordtest.SlashCommand("pulse"))
	if err != nil {
		t.Fatal(err)
	}
	<-started
	r.cancel()
	<-shutdown
	select {
	case err := <-r.done:
		t.Fatalf("Serve returned (%v) with an interaction in flight", err)
	default:
	}
	close(release)
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	if n := len(ex.Edits()) + len(ex.Followups()); n != 1 {
		t.Errorf("%d edits or follow-ups when Serve returned, want 1", n)
	}
}

// TestDiscordOff: without a token and a public key, Serve says so once and
// returns at once; with only an HTTP address it serves /healthz and
// /metrics and nothing else.
func TestDiscordOff(t *testing.T) {
	t.Parallel()
	st, pulses := e2eStore(t)
	b := e2eBot(t, st, pulses, slog.DiscardHandler, "")
	logs := &logSink{}
	if err := Serve(t.Context(), b, ServeConfig{Log: slog.New(logs.handler())}); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(logs.String(), "\n"); lines != 1 || !strings.Contains(logs.String(), "Discord is off") {
		t.Errorf("log = %q, want one line saying discord is off", logs.String())
	}

	srv := discordtest.New(t, discordtest.Options{})
	r := startServe(t, srv, b, ServeConfig{}, true)
	if code, _ := r.get(t, "/healthz"); code != 200 {
		t.Errorf("GET /healthz = %d", code)
	}
	if code, _ := r.get(t, "/metrics"); code != 200 {
		t.Errorf("GET /metrics = %d", code)
	}
	body := srv.Prepare(discordtest.SlashCommand("help")).JSON()
	if code := postSigned(t, r.endpoint, body, time.Now(), srv.Sign); code != http.StatusNotFound && code != http.StatusMethodNotAllowed {
		t.Errorf("POST /interactions without a public key = %d, want 404 or 405", code)
	}
	if len(srv.Requests()) != 0 {
		t.Errorf("%d requests to Discord with Discord off", len(srv.Requests()))
	}
}

// TestRegistration (acceptance 4): the first start registers the commands
// with one bulk overwrite, a second start with the same definitions
// doesn't, a start with changed definitions does; Register always does.
func TestRegistration(t *testing.T) {
	t.Parallel()
	srv := discordtest.New(t, discordtest.Options{})
	st, pulses := e2eStore(t)
	b := e2eBot(t, st, pulses, slog.DiscardHandler, "")
	tok := srv.Options().Token
	changed := func() []*discordgo.ApplicationCommand {
		cmds := Commands()
		cmds[len(cmds)-1].Description += " (changed)"
		return cmds
	}
	for i, tt := range []struct {
		name     string
		commands func() []*discordgo.ApplicationCommand
		guild    string
		want     int
	}{
		{"first start", nil, "", 1},
		{"same definitions", nil, "", 1},
		{"changed definitions", changed, "", 2},
		{"changed again, to a guild", nil, guildGateway, 3},
	} {
		r := startServe(t, srv, b, ServeConfig{Token: tok, commands: tt.commands, GuildID: tt.guild}, false)
		if err := r.stop(); err != nil {
			t.Fatal(err)
		}
		if got := srv.CommandOverwrites(); got != tt.want {
			t.Errorf("start %d (%s): overwrites = %d, want %d", i+1, tt.name, got, tt.want)
		}
	}
	if got, want := registered(t, srv, guildGateway), len(Commands()); got != want {
		t.Errorf("guild has %d commands, want %d", got, want)
	}
	// register always overwrites and records the hash, so the next start
	// with the same (global) definitions doesn't.
	cfg := ServeConfig{Token: tok, DiscordURL: srv.URL()}
	if err := Register(testCtx(t), b, cfg, ""); err != nil {
		t.Fatal(err)
	}
	if err := Register(testCtx(t), b, cfg, ""); err != nil {
		t.Fatal(err)
	}
	if got := srv.CommandOverwrites(); got != 5 {
		t.Errorf("overwrites after two registers = %d, want 5", got)
	}
	if _, err := st.Meta(context.Background(), metaCommandsHash); err != nil {
		t.Errorf("no commands hash stored: %v", err)
	}
	// What a start does next (ensure) sees the hash Register stored.
	dg, err := newSession(tok, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	reg := &registrar{dg: dg, st: st, log: slog.New(slog.DiscardHandler)}
	if err := reg.ensure(testCtx(t), srv.Options().AppID, "", Commands()); err != nil {
		t.Fatal(err)
	}
	if got := srv.CommandOverwrites(); got != 5 {
		t.Errorf("overwrites after ensure following register = %d, want 5", got)
	}
}

// registered counts the commands of the last successful bulk overwrite of
// a scope ("" = global), from the recorded request. (The fake's Commands
// decodes into discordgo's types, which expect default_member_permissions
// as a string, the way Discord answers; the fake echoes the number sent.)
func registered(t *testing.T, srv *discordtest.Server, guildID string) int {
	t.Helper()
	n := -1
	for _, req := range srv.Requests() {
		global := req.Route == "PUT /applications/{application_id}/commands"
		guild := req.Route == "PUT /applications/{application_id}/guilds/{guild_id}/commands" && strings.Contains(req.Path, "/guilds/"+guildID+"/")
		if req.Status == http.StatusOK && ((guildID == "" && global) || (guildID != "" && guild)) {
			var cmds []json.RawMessage
			if err := json.Unmarshal(req.JSON, &cmds); err != nil {
				t.Fatal(err)
			}
			n = len(cmds)
		}
	}
	return n
}
