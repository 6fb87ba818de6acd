package discordtest

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// The interaction routes: the callback, and the interaction webhook
// (/webhooks/{application_id}/{interaction_token}) the bot uses afterwards
// to edit the original response and send follow-ups. Discord needs no bot
// token on them: the interaction token is the credential.

func (c *call) postCallback() {
	s := c.s
	s.mu.Lock()
	ex := s.rest.exchanges[c.params["interaction_token"]]
	s.mu.Unlock()
	if ex == nil || ex.Interaction.ID != c.params["interaction_id"] {
		c.fail(http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	status, body := s.acceptCallback(ex, c.where(), c.r.URL.Path, c.payload, c.files, false)
	if body != nil {
		c.json(status, body)
		return
	}
	c.noContent()
}

// webhookExchange finds the interaction behind a webhook route.
func (c *call) webhookExchange() (*Exchange, bool) {
	s := c.s
	if c.params["webhook_id"] != s.opts.AppID {
		c.fail(http.StatusNotFound, 10015, "Unknown Webhook")
		return nil, false
	}
	s.mu.Lock()
	ex := s.rest.exchanges[c.params["webhook_token"]]
	s.mu.Unlock()
	if ex == nil {
		c.fail(http.StatusUnauthorized, 50027, "Invalid Webhook Token")
		return nil, false
	}
	return ex, true
}

// targetLocked returns the state and id of the message a webhook message
// route names: @original or a follow-up. s.mu must be held.
func (c *call) targetLocked(ex *Exchange) (map[string]json.RawMessage, string, string) {
	id, ok := c.params["message_id"]
	if !ok {
		return ex.original, ex.origID, "@original"
	}
	return ex.fstate[id], id, id
}

func (c *call) getWebhookMessage() {
	ex, ok := c.webhookExchange()
	if !ok {
		return
	}
	s := c.s
	s.mu.Lock()
	st, id, _ := c.targetLocked(ex)
	var obj map[string]any
	if st != nil {
		obj = s.messageObjectLocked(Message{ID: id, ChannelID: ex.Interaction.ChannelID}, st, true)
	}
	s.mu.Unlock()
	if obj == nil {
		c.fail(http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	c.json(http.StatusOK, obj)
}

func (c *call) patchWebhookMessage() {
	ex, ok := c.webhookExchange()
	if !ok {
		return
	}
	payload, ok := c.messagePayload(false)
	if !ok {
		return
	}
	s := c.s
	s.mu.Lock()
	st, id, editOf := c.targetLocked(ex)
	if st == nil {
		s.mu.Unlock()
		c.fail(http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	for k, v := range payloadState(payload) {
		st[k] = v
	}
	// The first edit of a deferred response replaces the "thinking…" state.
	var flags int
	json.Unmarshal(st["flags"], &flags)
	st["flags"] = json.RawMessage(strconv.Itoa(flags &^ int(discordgo.MessageFlagsLoading)))

	m := Message{Kind: KindEdit, ID: id, Method: c.r.Method, Path: c.r.URL.Path, ChannelID: ex.Interaction.ChannelID,
		DM: ex.Interaction.DM, InteractionID: ex.Interaction.ID, EditOf: editOf}
	decodeMessage(&m, payload, c.files)
	s.rest.messages = append(s.rest.messages, m)
	if editOf == "@original" {
		ex.edits = append(ex.edits, m)
	}
	obj := s.messageObjectLocked(m, st, true)
	obj["edited_timestamp"] = timestamp(snowflakeTime(s.newID()))
	s.notifyLocked()
	s.mu.Unlock()
	c.json(http.StatusOK, obj)
}

func (c *call) deleteWebhookMessage() {
	ex, ok := c.webhookExchange()
	if !ok {
		return
	}
	s := c.s
	s.mu.Lock()
	st, id, editOf := c.targetLocked(ex)
	if st != nil {
		if editOf == "@original" {
			ex.original = nil
		} else {
			delete(ex.fstate, id)
		}
		s.notifyLocked()
	}
	s.mu.Unlock()
	if st == nil {
		c.fail(http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	c.noContent()
}

// postFollowup creates a follow-up message. For interaction webhooks
// Discord behaves as if wait=true: the message object is always returned.
func (c *call) postFollowup() {
	ex, ok := c.webhookExchange()
	if !ok {
		return
	}
	payload, ok := c.messagePayload(true)
	if !ok {
		return
	}
	s := c.s
	s.mu.Lock()
	if ex.callback == nil {
		s.mu.Unlock()
		c.fail(http.StatusNotFound, 10015, "Unknown Webhook")
		return
	}
	m := Message{Kind: KindFollowup, ID: s.newID(), Method: c.r.Method, Path: c.r.URL.Path, ChannelID: ex.Interaction.ChannelID,
		DM: ex.Interaction.DM, InteractionID: ex.Interaction.ID}
	decodeMessage(&m, payload, c.files)
	st := payloadState(payload)
	ex.fstate[m.ID] = st
	ex.followups = append(ex.followups, m)
	s.rest.messages = append(s.rest.messages, m)
	obj := s.messageObjectLocked(m, st, true)
	s.notifyLocked()
	s.mu.Unlock()
	c.json(http.StatusOK, obj)
}
