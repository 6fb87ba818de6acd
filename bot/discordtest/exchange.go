package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Exchange is one interaction's life: the payload the fake sent, the bot's
// callback, and the edits and follow-ups that came through the
// interaction's webhook.
type Exchange struct {
	s           *Server
	Interaction Interaction // with defaults filled in (ID, Token, channel …)
	payload     []byte

	// Guarded by s.mu.
	callback  *Callback
	original  map[string]json.RawMessage // state of @original; nil before the callback or after DELETE
	origID    string
	edits     []Message // edits of @original
	followups []Message
	fstate    map[string]map[string]json.RawMessage // follow-up id -> state
}

// Callback is the bot's response to an interaction: POST
// /interactions/{id}/{token}/callback, or the body of its HTTP answer.
type Callback struct {
	Type    discordgo.InteractionResponseType
	Data    json.RawMessage // as sent; nil when absent
	Flags   discordgo.MessageFlags
	Message *Message // types 4 (CHANNEL_MESSAGE_WITH_SOURCE) and 7 (UPDATE_MESSAGE)
	Choices []Choice // type 8 (autocomplete result)
	ViaHTTP bool     // came as the HTTP response to PostInteraction
}

// Ephemeral reports whether the response (or the deferred one) is ephemeral.
func (c Callback) Ephemeral() bool { return c.Flags&discordgo.MessageFlagsEphemeral != 0 }

// Choice is one autocomplete choice.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// JSON is the interaction payload: the d of INTERACTION_CREATE, and the
// body PostInteraction signs and posts.
func (ex *Exchange) JSON() []byte { return ex.payload }

// Callback returns the bot's response, if it has responded.
func (ex *Exchange) Callback() (Callback, bool) {
	ex.s.mu.Lock()
	defer ex.s.mu.Unlock()
	if ex.callback == nil {
		return Callback{}, false
	}
	return *ex.callback, true
}

// WaitCallback blocks until the bot has responded to the interaction.
func (ex *Exchange) WaitCallback(ctx context.Context) (Callback, error) {
	err := ex.s.waitLocked(ctx, "callback to "+describe(ex.Interaction), func() bool { return ex.callback != nil })
	if err != nil {
		return Callback{}, err
	}
	cb, _ := ex.Callback()
	return cb, nil
}

// WaitEdit blocks until the bot has edited the original response (PATCH
// …/messages/@original, the usual end of a deferred response) and returns
// the first edit.
func (ex *Exchange) WaitEdit(ctx context.Context) (Message, error) {
	ms, err := ex.WaitEdits(ctx, 1)
	if err != nil {
		return Message{}, err
	}
	return ms[0], nil
}

// WaitEdits blocks until n edits of the original response have arrived and
// returns them all.
func (ex *Exchange) WaitEdits(ctx context.Context, n int) ([]Message, error) {
	err := ex.s.waitLocked(ctx, fmt.Sprintf("%d edits of %s", n, describe(ex.Interaction)), func() bool { return len(ex.edits) >= n })
	if err != nil {
		return nil, err
	}
	return ex.Edits(), nil
}

// WaitFollowup blocks until the bot has sent a follow-up message (POST
// /webhooks/{app}/{token}) and returns the first.
func (ex *Exchange) WaitFollowup(ctx context.Context) (Message, error) {
	err := ex.s.waitLocked(ctx, "follow-up to "+describe(ex.Interaction), func() bool { return len(ex.followups) > 0 })
	if err != nil {
		return Message{}, err
	}
	return ex.Followups()[0], nil
}

// Edits returns the edits of the original response so far.
func (ex *Exchange) Edits() []Message {
	ex.s.mu.Lock()
	defer ex.s.mu.Unlock()
	return append([]Message(nil), ex.edits...)
}

// Followups returns the follow-up messages so far.
func (ex *Exchange) Followups() []Message {
	ex.s.mu.Lock()
	defer ex.s.mu.Unlock()
	return append([]Message(nil), ex.followups...)
}

// Prepare registers an interaction without sending it: its token becomes
// valid for the callback and webhook routes, and JSON is the payload. Use
// it to drive an HTTP-interactions endpoint by hand; PostInteraction and
// Interact call it.
func (s *Server) Prepare(in Interaction) *Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.completeLocked(&in)
	s.rest.users[in.User.ID] = in.User
	payload, err := json.Marshal(s.interactionJSONLocked(in))
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode interaction: %v", err)) // only our own maps and strings
	}
	ex := &Exchange{s: s, Interaction: in, payload: payload, fstate: map[string]map[string]json.RawMessage{}}
	s.rest.exchanges[in.Token] = ex
	return ex
}

// Send dispatches INTERACTION_CREATE over the gateway without waiting for
// the bot.
func (s *Server) Send(in Interaction) (*Exchange, error) {
	ex := s.Prepare(in)
	if _, err := s.Dispatch("INTERACTION_CREATE", json.RawMessage(ex.payload)); err != nil {
		return nil, fmt.Errorf("discordtest: send %s: %w", describe(ex.Interaction), err)
	}
	return ex, nil
}

// Interact dispatches INTERACTION_CREATE over the gateway and waits until
// the bot has called the interaction callback. For a deferred response
// follow with ex.WaitEdit.
func (s *Server) Interact(ctx context.Context, in Interaction) (*Exchange, error) {
	ex, err := s.Send(in)
	if err != nil {
		return nil, err
	}
	if _, err := ex.WaitCallback(ctx); err != nil {
		return ex, err
	}
	return ex, nil
}

// PostInteraction delivers an interaction the way Discord does to an
// interactions endpoint URL: a signed POST (X-Signature-Ed25519,
// X-Signature-Timestamp, verifiable with PublicKey). The bot's 200 answer
// is taken as the callback and checked like a POST …/callback; any other
// status is an error.
func (s *Server) PostInteraction(ctx context.Context, endpoint string, in Interaction) (*Exchange, error) {
	ex := s.Prepare(in)
	status, body, ctype, err := s.postSigned(ctx, endpoint, ex.payload)
	if err != nil {
		return ex, fmt.Errorf("discordtest: post %s: %w", describe(ex.Interaction), err)
	}
	if status != http.StatusOK {
		return ex, fmt.Errorf("discordtest: post %s: endpoint answered %d: %s", describe(ex.Interaction), status, bytes.TrimSpace(body))
	}
	where := "HTTP response to " + describe(ex.Interaction) + " from " + endpoint
	payload, files, err := decodeBody(ctype, body)
	if err != nil {
		s.tb.Errorf("discordtest: %s: %v", where, err)
		return ex, fmt.Errorf("discordtest: %s: %w", where, err)
	}
	if s.spec != nil {
		if vs := s.spec.validateCallback(ex.Interaction.ID, ex.Interaction.Token, payload); len(vs) > 0 {
			s.report(where, vs)
			return ex, fmt.Errorf("discordtest: %s: %d OpenAPI violations", where, len(vs))
		}
	}
	if _, errBody := s.acceptCallback(ex, where, endpoint, payload, files, true); errBody != nil {
		return ex, fmt.Errorf("discordtest: %s: rejected: %v", where, errBody)
	}
	return ex, nil
}

// Ping sends Discord's endpoint check (a PING, type 1) and expects a PONG.
func (s *Server) Ping(ctx context.Context, endpoint string) error {
	s.mu.Lock()
	id := s.newID()
	s.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"id": id, "application_id": s.opts.AppID, "type": 1, "token": interactionToken(id), "version": 1, "user": userJSON(DefaultUser())})
	status, body, _, err := s.postSigned(ctx, endpoint, b)
	if err != nil {
		return fmt.Errorf("discordtest: ping: %w", err)
	}
	var pong struct{ Type int }
	if status != http.StatusOK || json.Unmarshal(body, &pong) != nil || pong.Type != 1 {
		return fmt.Errorf("discordtest: ping: want 200 {\"type\":1}, got %d %s", status, bytes.TrimSpace(body))
	}
	return nil
}

func (s *Server) postSigned(ctx context.Context, endpoint string, body []byte) (int, []byte, string, error) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, nil, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Ed25519", s.Sign(ts, body))
	req.Header.Set("X-Signature-Timestamp", ts)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(resp.Body)
	return resp.StatusCode, rb, resp.Header.Get("Content-Type"), err
}

// allowedResponses lists the callback types Discord accepts per
// interaction type.
func allowedResponses(t discordgo.InteractionType) []int {
	switch t {
	case discordgo.InteractionPing:
		return []int{1}
	case discordgo.InteractionApplicationCommand:
		return []int{4, 5, 9}
	case discordgo.InteractionMessageComponent:
		return []int{4, 5, 6, 7, 9}
	case discordgo.InteractionApplicationCommandAutocomplete:
		return []int{8}
	case discordgo.InteractionModalSubmit:
		return []int{4, 5, 6, 7}
	}
	return nil
}

// acceptCallback checks and records a callback. It returns the status to
// answer with and, for a rejection, Discord's error body; where names the request in test errors, path is recorded in the Message.
func (s *Server) acceptCallback(ex *Exchange, where, path string, payload json.RawMessage, files []File, viaHTTP bool) (int, map[string]any) {
	var cb struct {
		Type *int            `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(payload, &cb); err != nil || cb.Type == nil {
		vs := []violation{required("type")}
		s.report(where, vs)
		return http.StatusBadRequest, formErrors(vs)
	}
	typ := *cb.Type
	allowed := allowedResponses(ex.Interaction.Type)
	ok := false
	for _, a := range allowed {
		ok = ok || a == typ
	}
	var vs []violation
	if !ok {
		vs = append(vs, violation{path: "type", code: "BASE_TYPE_CHOICES", message: fmt.Sprintf("Value must be one of %v.", allowed),
			detail: fmt.Sprintf("got %d for %s", typ, describe(ex.Interaction))})
	}
	data := cb.Data
	if isNull(data) {
		data = nil
	}
	switch typ {
	case 4:
		if data == nil {
			vs = append(vs, violation{message: "Cannot send an empty message", apiCode: 50006})
		} else {
			vs = append(vs, checkMessage(data, "data.", true, len(files) > 0)...)
		}
	case 7:
		if data != nil {
			vs = append(vs, checkMessage(data, "data.", false, len(files) > 0)...)
		}
	case 8:
		vs = append(vs, checkChoices(data)...)
	case 9:
		vs = append(vs, checkModal(data)...)
	}
	if len(vs) > 0 {
		s.report(where, vs)
		return http.StatusBadRequest, formErrors(vs)
	}

	out := Callback{Type: discordgo.InteractionResponseType(typ), Data: data, ViaHTTP: viaHTTP}
	var fl struct {
		Flags   discordgo.MessageFlags `json:"flags"`
		Choices []Choice               `json:"choices"`
	}
	json.Unmarshal(data, &fl)
	out.Flags, out.Choices = fl.Flags, fl.Choices

	s.mu.Lock()
	defer s.mu.Unlock()
	if ex.callback != nil {
		// Not a test error: Discord answers this and a bot may well handle it.
		return http.StatusBadRequest, map[string]any{"message": "Interaction has already been acknowledged.", "code": 40060}
	}
	switch typ {
	case 4, 7:
		m := Message{Kind: KindCallback, Method: http.MethodPost, Path: path, ChannelID: ex.Interaction.ChannelID,
			DM: ex.Interaction.DM, InteractionID: ex.Interaction.ID, CallbackType: out.Type}
		decodeMessage(&m, data, files)
		m.ID = s.newID()
		if typ == 7 && ex.Interaction.message != "" {
			m.ID = ex.Interaction.message
		}
		s.rest.messages = append(s.rest.messages, m)
		out.Message = &m
		if typ == 4 {
			ex.origID, ex.original = m.ID, payloadState(data)
		}
	case 5:
		ex.origID = s.newID()
		flags := strconv.Itoa(int(fl.Flags | discordgo.MessageFlagsLoading))
		ex.original = map[string]json.RawMessage{"content": json.RawMessage(`""`), "flags": json.RawMessage(flags)}
	}
	ex.callback = &out
	s.notifyLocked()
	return http.StatusNoContent, nil
}
