package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Request is one REST request as the fake received it.
type Request struct {
	Method   string
	Path     string // as sent, e.g. /api/v9/channels/1/messages
	RawQuery string
	// Route is the matched route, version-less, e.g.
	// "POST /channels/{channel_id}/messages"; "" when no route matched.
	Route  string
	Header http.Header
	Body   []byte          // raw body
	JSON   json.RawMessage // the JSON body, or the payload_json part of a multipart body
	Files  []File          // multipart file parts, in order
	Status int             // status the fake answered; 0 while in flight
}

// File is one file part of a multipart request.
type File struct {
	Field       string // form field, e.g. "files[0]"
	Name        string // filename
	ContentType string
	Data        []byte
}

// MessageKind says which route a recorded Message came through.
type MessageKind string

// Message kinds.
const (
	KindChannel  MessageKind = "channel"  // POST /channels/{id}/messages, DM channels included
	KindCallback MessageKind = "callback" // interaction callback of type 4 or 7: its data is a message
	KindEdit     MessageKind = "edit"     // PATCH /webhooks/{app}/{token}/messages/{@original|id}
	KindFollowup MessageKind = "followup" // POST /webhooks/{app}/{token}
)

// Message is a message-like payload the bot sent and the fake accepted
// (payloads answered with 400 are in Requests only).
type Message struct {
	Kind   MessageKind
	ID     string // id of the message created, or edited
	Method string
	Path   string

	ChannelID     string
	DM            bool   // ChannelID is a DM channel from POST /users/@me/channels
	RecipientID   string // the DM's recipient
	InteractionID string // KindCallback, KindEdit and KindFollowup
	CallbackType  discordgo.InteractionResponseType
	EditOf        string // KindEdit: "@original" or the follow-up's id

	Nonce      string // channel messages: the nonce sent, if any
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Flags      discordgo.MessageFlags
	// AllowedMentions is allowed_mentions exactly as sent; nil when absent.
	AllowedMentions json.RawMessage
	Files           []File
	Payload         json.RawMessage // the whole JSON payload (a callback's data)
}

// Ephemeral reports whether the message has the EPHEMERAL flag.
func (m Message) Ephemeral() bool { return m.Flags&discordgo.MessageFlagsEphemeral != 0 }

// Requests returns every REST request so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.rest.requests))
	for i, r := range s.rest.requests {
		r.Header = r.Header.Clone()
		r.Files = append([]File(nil), r.Files...)
		out[i] = r
	}
	return out
}

// Messages returns every accepted message-like payload so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.rest.messages...)
}

// WaitMessages blocks until at least n messages were accepted and returns
// them all.
func (s *Server) WaitMessages(ctx context.Context, n int) ([]Message, error) {
	if err := s.waitLocked(ctx, fmt.Sprintf("%d messages", n), func() bool { return len(s.rest.messages) >= n }); err != nil {
		return nil, err
	}
	return s.Messages(), nil
}

// errBadJSON is Discord's 50109: the body is not JSON at all.
var errBadJSON = errors.New("the request body contains invalid JSON")

// decodeBody returns the JSON document of a request: the body itself, or
// the payload_json part of a multipart/form-data body, plus its files.
func decodeBody(contentType string, body []byte) (json.RawMessage, []File, error) {
	if len(body) == 0 {
		return nil, nil, nil
	}
	mt, params, _ := mime.ParseMediaType(contentType)
	if mt != "multipart/form-data" {
		if !json.Valid(body) {
			return nil, nil, errBadJSON
		}
		return json.RawMessage(body), nil, nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var payload json.RawMessage
	var files []File
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read multipart body: %w", err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, fmt.Errorf("read multipart part %q: %w", p.FormName(), err)
		}
		switch name := p.FormName(); {
		case name == "payload_json":
			if !json.Valid(data) {
				return nil, nil, errBadJSON
			}
			payload = data
		case strings.HasPrefix(name, "files[") || p.FileName() != "":
			files = append(files, File{Field: name, Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data})
		}
	}
	return payload, files, nil
}

// messageFields is the part of a message payload the fake decodes; the
// rest stays in Payload.
type messageFields struct {
	Content         string                    `json:"content"`
	Embeds          []*discordgo.MessageEmbed `json:"embeds"`
	Components      []json.RawMessage         `json:"components"`
	Flags           discordgo.MessageFlags    `json:"flags"`
	AllowedMentions json.RawMessage           `json:"allowed_mentions"`
}

// decodeMessage fills a Message from a payload that passed the limit
// checks (which already rejected payloads of the wrong shape).
func decodeMessage(m *Message, payload json.RawMessage, files []File) {
	m.Payload = payload
	m.Files = files
	var f messageFields
	if json.Unmarshal(payload, &f) != nil {
		return
	}
	m.Content, m.Embeds, m.Flags = f.Content, f.Embeds, f.Flags
	if len(f.AllowedMentions) > 0 {
		m.AllowedMentions = f.AllowedMentions
	}
	for _, raw := range f.Components {
		if c, err := discordgo.MessageComponentFromJSON(raw); err == nil {
			m.Components = append(m.Components, c)
		}
	}
}
