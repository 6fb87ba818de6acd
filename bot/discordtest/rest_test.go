package discordtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestBulkOverwrite(t *testing.T) {
	t.Parallel()
	srv := New(t, Options{})
	dg := newSession(t, srv, srv.Options().Token)
	app, guild := srv.Options().AppID, srv.Options().Guilds[0].ID
	cmds := []*discordgo.ApplicationCommand{
		{Name: "pulse", Description: "Today's Market Pulse", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "date", Description: "YYYY-MM-DD"}}},
		{Name: "news", Description: "Top stories"},
	}
	first, err := dg.ApplicationCommandBulkOverwrite(app, "", cmds)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || first[0].ID == "" || first[0].ApplicationID != app || first[0].Type != discordgo.ChatApplicationCommand || first[0].Version == "" {
		t.Fatalf("overwrite returned %+v", first)
	}
	// Same names again: Discord keeps the ids.
	second, err := dg.ApplicationCommandBulkOverwrite(app, "", cmds[:1])
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 1 || second[0].ID != first[0].ID {
		t.Errorf("re-overwrite id = %v, want %s kept", second, first[0].ID)
	}
	if _, err := dg.ApplicationCommandBulkOverwrite(app, guild, cmds[1:]); err != nil {
		t.Fatal(err)
	}
	if srv.CommandOverwrites() != 3 {
		t.Errorf("CommandOverwrites() = %d, want 3", srv.CommandOverwrites())
	}
	listed, err := dg.ApplicationCommands(app, "")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := srv.Commands("")
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 || listed[0].Name != "pulse" || len(stored) != 1 || stored[0].Options[0].Name != "date" {
		t.Errorf("GET commands = %+v, Commands(\"\") = %+v; want [pulse]", listed, stored)
	}
	guildCmds, _ := srv.Commands(guild)
	if len(guildCmds) != 1 || guildCmds[0].GuildID != guild {
		t.Errorf("guild commands = %+v", guildCmds)
	}
	// An interaction for a registered command carries its id.
	ex := srv.Prepare(SlashCommand("news"))
	var in discordgo.Interaction
	if err := json.Unmarshal(ex.JSON(), &in); err != nil {
		t.Fatal(err)
	}
	if d := in.ApplicationCommandData(); d.ID != guildCmds[0].ID {
		t.Errorf("interaction data id = %s, want the registered guild command's %s", d.ID, guildCmds[0].ID)
	}
	if _, err := dg.ApplicationCommandBulkOverwrite("999", "", cmds); err == nil {
		t.Error("overwrite for another application succeeded")
	}
}

func TestInvalidCommandFlagged(t *testing.T) {
	t.Parallel()
	rec := &recorder{TB: t}
	srv := New(rec, Options{})
	dg := newSession(t, srv, srv.Options().Token)
	_, err := dg.ApplicationCommandBulkOverwrite(srv.Options().AppID, "", []*discordgo.ApplicationCommand{{Name: "Pulse", Description: "d"}})
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) || rest.Response.StatusCode != 400 {
		t.Errorf("err = %v, want 400", err)
	}
	if !rec.hasError("PUT /api/v9/applications/", "0.name: Command name is invalid") || srv.CommandOverwrites() != 0 {
		t.Errorf("flagged %v, overwrites %d", rec.errors(), srv.CommandOverwrites())
	}
}

// do sends a raw request to the fake.
func do(t *testing.T, srv *Server, method, path, auth, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestRoutesAuthAndErrors(t *testing.T) {
	t.Parallel()
	rec := &recorder{TB: t}
	srv := New(rec, Options{Token: "tok"})
	ex := srv.Prepare(SlashCommand("x"))
	app := srv.Options().AppID
	tests := []struct {
		name, method, path, auth, body string
		status                         int
		want                           string // substring of the body
	}{
		{"gateway needs no token", "GET", "/api/v9/gateway", "", "", 200, `"url":"ws://`},
		{"v10 works too", "GET", "/api/v10/gateway", "", "", 200, srv.GatewayURL()},
		{"gateway/bot needs the token", "GET", "/api/v9/gateway/bot", "", "", 401, `{"code":0,"message":"401: Unauthorized"}`},
		{"gateway/bot", "GET", "/api/v9/gateway/bot", "Bot tok", "", 200, `"shards":1`},
		{"token without Bot prefix", "GET", "/api/v9/users/@me", "tok", "", 401, "401: Unauthorized"},
		{"wrong token", "GET", "/api/v9/users/@me", "Bot nope", "", 401, "401: Unauthorized"},
		{"users/@me", "GET", "/api/v9/users/@me", "Bot tok", "", 200, `"bot":true`},
		{"application", "GET", "/api/v9/oauth2/applications/@me", "Bot tok", "", 200, `"verify_key":"`},
		{"unknown route", "GET", "/api/v9/guilds/1/bans", "Bot tok", "", 404, `{"code":0,"message":"404: Not Found"}`},
		{"unversioned path", "GET", "/api/gateway", "", "", 404, "404: Not Found"},
		{"old version", "GET", "/api/v6/gateway", "", "", 404, "404: Not Found"},
		{"wrong method", "DELETE", "/api/v9/gateway", "", "", 405, "405: Method Not Allowed"},
		{"unknown channel", "POST", "/api/v9/channels/42/messages", "Bot tok", `{"content":"x"}`, 404, `"code":10003`},
		{"bad JSON", "POST", "/api/v9/users/@me/channels", "Bot tok", `{"recipient_id":`, 400, `"code":50109`},
		{"callback needs no token", "POST", "/api/v9/interactions/" + ex.Interaction.ID + "/" + ex.Interaction.Token + "/callback", "", `{"type":5}`, 204, ""},
		{"unknown interaction", "POST", "/api/v9/interactions/1/nope/callback", "", `{"type":5}`, 404, `"code":10062`},
		{"webhook edit needs no token", "PATCH", "/api/v10/webhooks/" + app + "/" + ex.Interaction.Token + "/messages/@original", "", `{"components":[]}`, 200, `"webhook_id":"` + app},
		{"webhook with bad token", "PATCH", "/api/v10/webhooks/" + app + "/nope/messages/@original", "", `{}`, 401, `"code":50027`},
		{"follow-up message unknown", "GET", "/api/v10/webhooks/" + app + "/" + ex.Interaction.Token + "/messages/123", "", "", 404, `"code":10008`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, srv, tt.method, tt.path, tt.auth, tt.body)
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("%s %s = %d %s; want %d containing %s", tt.method, tt.path, status, body, tt.status, tt.want)
			}
		})
	}
	if errs := rec.errors(); len(errs) != 1 || !strings.Contains(errs[0], "POST /api/v9/users/@me/channels: the request body contains invalid JSON") {
		t.Errorf("flagged %q, want only the invalid JSON", errs)
	}
	reqs := srv.Requests()
	if len(reqs) != len(tests) {
		t.Fatalf("recorded %d requests, want %d", len(reqs), len(tests))
	}
	if r := reqs[3]; r.Route != "GET /gateway/bot" || r.Status != 200 || r.Header.Get("Authorization") != "Bot tok" {
		t.Errorf("recorded request = %+v", r)
	}
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	srv := New(t, Options{})
	dg := newSession(t, srv, srv.Options().Token)
	ch := srv.Options().Guilds[0].Channels[0].ID
	msg := &discordgo.MessageSend{Content: "hi", AllowedMentions: noMentions()}

	// 429: discordgo waits retry_after and retries by itself.
	srv.FailNext("POST", "/channels/", http.StatusTooManyRequests, "")
	limited := make(chan *discordgo.RateLimit, 1)
	dg.AddHandler(func(_ *discordgo.Session, rl *discordgo.RateLimit) { send(t, limited, rl) })
	if _, err := dg.ChannelMessageSendComplex(ch, msg); err != nil {
		t.Fatalf("send after 429: %v", err)
	}
	rl := recv(t, testCtx(t), limited, "RateLimit event")
	if rl.RetryAfter != 10*time.Millisecond || rl.Message != "You are being rate limited." {
		t.Errorf("rate limit = %+v, want retry after 10ms", rl.TooManyRequests)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Status != 429 || reqs[1].Status != 200 {
		t.Errorf("requests = %v, want a 429 then a 200", statuses(reqs))
	}

	tests := []struct {
		status int
		body   string
		code   int
	}{
		{500, "", 0},
		{403, "", 50013},
		{404, `{"message":"Unknown Channel","code":10003}`, 10003},
	}
	for _, tt := range tests {
		srv.Fail(Failure{Method: "POST", Path: "/api/v9/channels/" + ch, Status: tt.status, Body: tt.body})
		_, err := dg.ChannelMessageSendComplex(ch, msg)
		var rest *discordgo.RESTError
		if !errors.As(err, &rest) || rest.Response.StatusCode != tt.status || rest.Message == nil || rest.Message.Code != tt.code {
			t.Errorf("injected %d: err = %v, want RESTError %d code %d", tt.status, err, tt.status, tt.code)
		}
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages accepted, want 1 (failures record no message)", n)
	}
}

func statuses(rs []Request) []int {
	var out []int
	for _, r := range rs {
		out = append(out, r.Status)
	}
	return out
}

func TestDMWithFile(t *testing.T) {
	t.Parallel()
	srv := New(t, Options{})
	dg := newSession(t, srv, srv.Options().Token)
	dm, err := dg.UserChannelCreate(DefaultUser().ID)
	if err != nil {
		t.Fatal(err)
	}
	if dm.Type != discordgo.ChannelTypeDM || len(dm.Recipients) != 1 || dm.Recipients[0].Username != "alice" {
		t.Errorf("DM channel = %+v", dm)
	}
	again, _ := dg.UserChannelCreate(DefaultUser().ID)
	if again == nil || again.ID != dm.ID {
		t.Errorf("second DM channel = %+v, want the same id %s", again, dm.ID)
	}
	png := []byte("\x89PNG fake chart")
	sent, err := dg.ChannelMessageSendComplex(dm.ID, &discordgo.MessageSend{
		Content: "your alert", AllowedMentions: noMentions(),
		Files: []*discordgo.File{{Name: "pulse.png", ContentType: "image/png", Reader: bytes.NewReader(png)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID == "" || sent.ChannelID != dm.ID || len(sent.Attachments) != 1 || sent.Attachments[0].Filename != "pulse.png" {
		t.Errorf("returned message = %+v", sent)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("Messages() = %+v", msgs)
	}
	m := msgs[0]
	if m.Kind != KindChannel || !m.DM || m.RecipientID != DefaultUser().ID || m.Content != "your alert" || m.ID != sent.ID {
		t.Errorf("message = %+v", m)
	}
	if len(m.Files) != 1 || m.Files[0].Field != "files[0]" || !bytes.Equal(m.Files[0].Data, png) || m.Files[0].ContentType != "image/png" {
		t.Errorf("files = %+v", m.Files)
	}
	last := srv.Requests()[len(srv.Requests())-1]
	if !strings.HasPrefix(last.Header.Get("Content-Type"), "multipart/form-data") || !json.Valid(last.JSON) {
		t.Errorf("multipart request recorded as %q with JSON %s", last.Header.Get("Content-Type"), last.JSON)
	}
}

// TestCallbackMultipart answers an interaction with a file, over REST only:
// Prepare registers the interaction without a gateway.
func TestCallbackMultipart(t *testing.T) {
	t.Parallel()
	srv := New(t, Options{})
	dg := newSession(t, srv, srv.Options().Token)
	ex := srv.Prepare(SlashCommand("chart"))
	in := &discordgo.Interaction{ID: ex.Interaction.ID, AppID: srv.Options().AppID, Token: ex.Interaction.Token}
	resp := &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content: "today", AllowedMentions: noMentions(),
			Files: []*discordgo.File{{Name: "pulse.png", ContentType: "image/png", Reader: strings.NewReader("png")}},
		},
	}

	// An injected 500 is not an acknowledgement: the retry goes through.
	srv.FailNext("POST", "/interactions/", http.StatusInternalServerError, "")
	if err := dg.InteractionRespond(in, resp); err == nil {
		t.Fatal("InteractionRespond succeeded through an injected 500")
	}
	if _, ok := ex.Callback(); ok {
		t.Fatal("failed callback recorded as the response")
	}
	resp.Data.Files[0].Reader = strings.NewReader("png")
	if err := dg.InteractionRespond(in, resp); err != nil {
		t.Fatal(err)
	}
	cb, ok := ex.Callback()
	if !ok || cb.Message == nil || cb.Message.Content != "today" || len(cb.Message.Files) != 1 || string(cb.Message.Files[0].Data) != "png" {
		t.Fatalf("callback = %+v", cb)
	}

	content := "today, updated"
	edited, err := dg.InteractionResponseEdit(in, &discordgo.WebhookEdit{
		Content: &content, AllowedMentions: noMentions(),
		Files: []*discordgo.File{{Name: "pulse2.png", ContentType: "image/png", Reader: strings.NewReader("png2")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Content != content || len(edited.Attachments) != 1 || edited.Attachments[0].Filename != "pulse2.png" {
		t.Errorf("edited message = %+v", edited)
	}
	if edits := ex.Edits(); len(edits) != 1 || edits[0].Files[0].Name != "pulse2.png" {
		t.Errorf("edits = %+v", edits)
	}
}

// TestEnforceNonce: a repeated nonce with enforce_nonce returns the first
// message and creates none; without enforce_nonce, or with another nonce,
// a new message is created.
func TestEnforceNonce(t *testing.T) {
	t.Parallel()
	srv := New(t, Options{})
	dg := newSession(t, srv, srv.Options().Token)
	ch := srv.Options().Guilds[0].Channels[0].ID
	post := func(nonce string, enforce bool) *discordgo.Message {
		t.Helper()
		body := map[string]any{"content": "hello", "allowed_mentions": map[string]any{"parse": []string{}}, "nonce": nonce, "enforce_nonce": enforce}
		var m discordgo.Message
		raw, err := dg.RequestWithBucketID("POST", discordgo.EndpointChannelMessages(ch), body, discordgo.EndpointChannelMessages(ch))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return &m
	}
	first := post("pb1", true)
	again := post("pb1", true)
	loose := post("pb1", false)
	other := post("pb2", true)
	if again.ID != first.ID || loose.ID == first.ID || other.ID == first.ID || other.ID == loose.ID {
		t.Errorf("ids: first %s, repeat %s, without enforce %s, other nonce %s", first.ID, again.ID, loose.ID, other.ID)
	}
	if n := len(srv.Messages()); n != 3 || srv.NonceHits() != 1 {
		t.Errorf("%d messages and %d nonce hits, want 3 and 1", n, srv.NonceHits())
	}
	// Minutes later Discord has forgotten the nonce: a new message.
	srv.ForgetNonces()
	if late := post("pb1", true); late.ID == first.ID {
		t.Error("a forgotten nonce still returned the first message")
	}
	// The channel's history, newest first, without nonces.
	hist, err := dg.ChannelMessages(ch, 2, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[1].ID != other.ID || hist[0].Author == nil || !hist[0].Author.Bot {
		t.Errorf("history = %+v, want the last two, newest first, by the bot", hist)
	}
}

// TestCommandPermissionsComeBackAsString: default_member_permissions is a
// string in Discord's answers, whether the client sent a number or a
// string.
func TestCommandPermissionsComeBackAsString(t *testing.T) {
	t.Parallel()
	srv := New(t, Options{})
	dg := newSession(t, srv, srv.Options().Token)
	app := srv.Options().AppID
	for _, perm := range []any{32, "32"} {
		body := []map[string]any{{"name": "alerts", "description": "d", "default_member_permissions": perm}}
		raw, err := dg.RequestWithBucketID("PUT", discordgo.EndpointApplicationGlobalCommands(app), body, "")
		if err != nil {
			t.Fatal(err)
		}
		var got []map[string]any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0]["default_member_permissions"] != "32" {
			t.Errorf("sent %#v, got back %#v; want the string \"32\"", perm, got)
		}
	}
}

// TestFailRandomly: the same seed fails the same requests, at about the
// rate asked for, and only requests matching the method and path.
func TestFailRandomly(t *testing.T) {
	t.Parallel()
	run := func() (fails []int, hits int) {
		srv := New(t, Options{})
		dg := newSession(t, srv, srv.Options().Token)
		ch := srv.Options().Guilds[0].Channels[0].ID
		srv.FailRandomly(Failure{Method: "POST", Path: "/channels/", Status: 500}, 0.25, 7)
		for i := range 200 {
			if _, err := dg.ChannelMessageSendComplex(ch, &discordgo.MessageSend{Content: "x", AllowedMentions: noMentions()}); err != nil {
				fails = append(fails, i)
			}
		}
		if _, err := dg.Channel(ch); err != nil {
			t.Errorf("GET channel failed: %v; only POSTs may", err)
		}
		return fails, srv.RandomFailures()
	}
	a, hits := run()
	b, _ := run()
	if fmt.Sprint(a) != fmt.Sprint(b) || hits != len(a) || len(a) < 30 || len(a) > 70 {
		t.Errorf("failed requests %v (%d, %d hits) and %v; want the same ~50 of 200 twice", a, len(a), hits, b)
	}
}
