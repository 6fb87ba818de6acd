package discordtest

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// seen is what an interaction handler saw and what discordgo returned to it.
type seen struct {
	in  *discordgo.Interaction
	err error
}

// The responders below play the bot in TestSession, one per command.

func respondPong(s *discordgo.Session, in *discordgo.Interaction) error {
	return s.InteractionRespond(in, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "pong", AllowedMentions: noMentions()},
	})
}

func respondPulse(s *discordgo.Session, in *discordgo.Interaction) error {
	return s.InteractionRespond(in, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content: "Pulse 6.2", AllowedMentions: noMentions(),
			Embeds: []*discordgo.MessageEmbed{{Title: "Market Pulse", Fields: []*discordgo.MessageEmbedField{{Name: "BTC", Value: "up"}}}},
		},
	})
}

// respondDeferred defers (ephemeral), edits the original, then reads it
// back, returning an error when the read-back is not the edit.
func respondDeferred(s *discordgo.Session, in *discordgo.Interaction) error {
	err := s.InteractionRespond(in, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	})
	if err != nil {
		return err
	}
	content := "the chart is ready"
	if _, err := s.InteractionResponseEdit(in, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()}); err != nil {
		return err
	}
	m, err := s.InteractionResponse(in) // GET @original
	if err != nil {
		return err
	}
	if m.Content != content || m.Flags != discordgo.MessageFlagsEphemeral || m.WebhookID != in.AppID {
		return fmt.Errorf("@original = content %q flags %d webhook %q; want the edit, ephemeral, no longer loading", m.Content, m.Flags, m.WebhookID)
	}
	return nil
}

// respondFollowupTwice answers, sends a follow-up, then acknowledges a
// second time, which Discord refuses; it returns that error.
func respondFollowupTwice(s *discordgo.Session, in *discordgo.Interaction) error {
	resp := &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "first", AllowedMentions: noMentions()},
	}
	if err := s.InteractionRespond(in, resp); err != nil {
		return fmt.Errorf("first ack: %w", err)
	}
	if _, err := s.FollowupMessageCreate(in, true, &discordgo.WebhookParams{Content: "more", AllowedMentions: noMentions()}); err != nil {
		return fmt.Errorf("follow-up: %w", err)
	}
	return s.InteractionRespond(in, resp)
}

// respondChoices answers autocomplete with 3 choices, or 26 when the user
// typed "many", or with the wrong response type for "wrong type".
func respondChoices(s *discordgo.Session, in *discordgo.Interaction) error {
	typed := in.ApplicationCommandData().Options[0].StringValue()
	n := 3
	if typed == "many" {
		n = 26
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	for i := range n {
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: "coin", Value: string(rune('a' + i))})
	}
	typ := discordgo.InteractionApplicationCommandAutocompleteResult
	if typed == "wrong type" {
		typ = discordgo.InteractionResponseChannelMessageWithSource
	}
	return s.InteractionRespond(in, &discordgo.InteractionResponse{Type: typ, Data: &discordgo.InteractionResponseData{Choices: choices, Content: "x", AllowedMentions: noMentions()}})
}

func checkRespond(t *testing.T, ctx context.Context, srv *Server, handled <-chan seen) {
	ex, err := srv.Interact(ctx, SlashCommand("pulse",
		Group("asset", Sub("show",
			StringOpt("coin", "BTC"), IntOpt("days", 7), NumberOpt("min", 2.5), BoolOpt("public", true),
			ChannelOpt("where", "1300000000000000502"), RoleOpt("notify", "1300000000000000503"))),
		WithPermissions("8")))
	if err != nil {
		t.Fatal(err)
	}
	sw := recv(t, ctx, handled, "handler")
	if sw.err != nil {
		t.Fatalf("InteractionRespond: %v", sw.err)
	}
	in := sw.in
	if in.ID != ex.Interaction.ID || in.AppID != srv.Options().AppID || in.GuildID != "1300000000000000500" || in.ChannelID != "1300000000000000501" {
		t.Errorf("interaction = id %s app %s guild %s channel %s", in.ID, in.AppID, in.GuildID, in.ChannelID)
	}
	if in.Member == nil || in.Member.User == nil || in.Member.User.ID != DefaultUser().ID || in.Member.Permissions != 8 || in.User != nil {
		t.Errorf("member = %+v, user = %+v; want the default user as member with permissions 8", in.Member, in.User)
	}
	data := in.ApplicationCommandData()
	if data.Name != "pulse" || len(data.Options) != 1 || data.Options[0].Type != discordgo.ApplicationCommandOptionSubCommandGroup {
		t.Fatalf("data = %+v, want /pulse with one subcommand group", data)
	}
	sub := data.Options[0].Options[0]
	if sub.Name != "show" || sub.Type != discordgo.ApplicationCommandOptionSubCommand {
		t.Fatalf("subcommand = %+v", sub)
	}
	opt := func(name string) *discordgo.ApplicationCommandInteractionDataOption {
		o := sub.GetOption(name)
		if o == nil {
			t.Fatalf("option %s missing", name)
		}
		return o
	}
	if opt("coin").StringValue() != "BTC" || opt("days").IntValue() != 7 || opt("min").FloatValue() != 2.5 || !opt("public").BoolValue() {
		t.Errorf("typed options decoded wrong: %+v", sub.Options)
	}
	if c := data.Resolved.Channels["1300000000000000502"]; c == nil || c.Name != "pulse" || opt("where").Value != "1300000000000000502" {
		t.Errorf("channel option: value %v, resolved %+v", opt("where").Value, c)
	}
	if r := data.Resolved.Roles["1300000000000000503"]; r == nil || r.Name != "mods" || r.Permissions != 8 {
		t.Errorf("role option resolved = %+v", r)
	}

	cb, ok := ex.Callback()
	if !ok || cb.Type != discordgo.InteractionResponseChannelMessageWithSource || cb.Message == nil {
		t.Fatalf("callback = %+v, %v", cb, ok)
	}
	if cb.Message.Content != "Pulse 6.2" || len(cb.Message.Embeds) != 1 || cb.Message.Embeds[0].Fields[0].Value != "up" {
		t.Errorf("callback message = %+v", cb.Message)
	}
	var mine []Message
	for _, m := range srv.Messages() {
		if m.InteractionID == in.ID {
			mine = append(mine, m)
		}
	}
	if len(mine) != 1 || mine[0].Kind != KindCallback || string(mine[0].AllowedMentions) != `{"parse":[],"replied_user":false}` {
		t.Errorf("Messages() for the interaction = %+v", mine)
	}
}

func checkDeferred(t *testing.T, ctx context.Context, srv *Server, handled <-chan seen) {
	ex, err := srv.Interact(ctx, SlashCommand("chart"))
	if err != nil {
		t.Fatal(err)
	}
	if cb, _ := ex.Callback(); cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || !cb.Ephemeral() || cb.Message != nil {
		t.Errorf("callback = %+v, want an ephemeral deferral without message", cb)
	}
	edit, err := ex.WaitEdit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if edit.Kind != KindEdit || edit.Content != "the chart is ready" || edit.EditOf != "@original" {
		t.Errorf("edit = %+v", edit)
	}
	if sw := recv(t, ctx, handled, "handler"); sw.err != nil {
		t.Error(sw.err)
	}
}

func checkFollowup(t *testing.T, ctx context.Context, srv *Server, handled <-chan seen) {
	ex, err := srv.Interact(ctx, SlashCommand("news", InDM()))
	if err != nil {
		t.Fatal(err)
	}
	f, err := ex.WaitFollowup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != KindFollowup || f.Content != "more" || !f.DM {
		t.Errorf("follow-up = %+v", f)
	}
	sw := recv(t, ctx, handled, "handler")
	var rest *discordgo.RESTError
	if !errors.As(sw.err, &rest) || rest.Message == nil || rest.Message.Code != 40060 {
		t.Errorf("second ack error = %v, want RESTError 40060", sw.err)
	}
	if sw.in.User == nil || sw.in.Member != nil || sw.in.GuildID != "" {
		t.Errorf("DM interaction: user %+v member %+v guild %q; want user only", sw.in.User, sw.in.Member, sw.in.GuildID)
	}
}

// TestPostInteraction plays Discord to an HTTP interactions endpoint.
func TestPostInteraction(t *testing.T) {
	t.Parallel()
	srv := New(t, Options{})
	ctx := testCtx(t)
	pub := srv.PublicKey()
	bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sig, _ := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
		if !ed25519.Verify(pub, append([]byte(r.Header.Get("X-Signature-Timestamp")), body...), sig) {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		var in discordgo.Interaction
		if err := json.Unmarshal(body, &in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if in.Type == discordgo.InteractionPing {
			io.WriteString(w, `{"type":1}`)
			return
		}
		content := "hello " + in.Member.User.Username
		if in.ApplicationCommandData().Name == "loud" {
			json.NewEncoder(w).Encode(map[string]any{"type": 4, "data": map[string]any{"content": content + " @everyone"}})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"type": 4, "data": map[string]any{"content": content, "allowed_mentions": map[string]any{"parse": []string{}}}})
	}))
	t.Cleanup(bot.Close)

	if err := srv.Ping(ctx, bot.URL); err != nil {
		t.Fatal(err)
	}
	ex, err := srv.PostInteraction(ctx, bot.URL, SlashCommand("hello"))
	if err != nil {
		t.Fatal(err)
	}
	cb, ok := ex.Callback()
	if !ok || !cb.ViaHTTP || cb.Message == nil || cb.Message.Content != "hello alice" {
		t.Errorf("callback = %+v", cb)
	}

	// A response without allowed_mentions is flagged like a REST one.
	rec := &recorder{TB: t}
	srv2 := New(rec, Options{})
	if _, err := srv2.PostInteraction(ctx, bot.URL, SlashCommand("loud")); err == nil || !strings.Contains(err.Error(), "rejected") {
		t.Errorf("PostInteraction(loud) = %v, want rejection", err)
	}
	if !rec.hasError("HTTP response to /loud", "allowed_mentions") {
		t.Errorf("not flagged: %v", rec.errors())
	}
}

// TestInteractNeedsSession: without a gateway session there is nobody to
// dispatch to.
func TestInteractNeedsSession(t *testing.T) {
	t.Parallel()
	srv := New(t, Options{})
	if _, err := srv.Interact(context.Background(), SlashCommand("x")); !errors.Is(err, ErrNoSession) {
		t.Errorf("Interact before IDENTIFY = %v, want ErrNoSession", err)
	}
}
