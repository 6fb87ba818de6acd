package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Discord's message limits, as documented for the message and embed
// objects (lengths in characters, which the fake counts as runes).
const (
	maxContent         = 2000
	maxEmbeds          = 10
	maxEmbedTitle      = 256
	maxEmbedDesc       = 4096
	maxEmbedFields     = 25
	maxFieldName       = 256
	maxFieldValue      = 1024
	maxFooterText      = 2048
	maxAuthorName      = 256
	maxEmbedTotal      = 6000
	maxChoices         = 25
	maxChoiceName      = 100
	maxChoiceValue     = 100
	maxCommandName     = 32
	maxDescription     = 100
	maxCommandOptions  = 25
	maxCommandsPerKind = 100
	maxModalTitle      = 45
)

// violation is one reason the fake rejects a payload.
type violation struct {
	path    string // form-body path, e.g. "embeds.0.title"; "" for whole-body errors
	code    string // Discord's form error code, e.g. BASE_TYPE_MAX_LENGTH
	message string // Discord's wording
	detail  string // what the fake saw, for the test log
	apiCode int    // non-zero: answered as a top-level error (e.g. 50006) instead of Invalid Form Body
}

func (v violation) String() string {
	s := v.message
	if v.path != "" {
		s = v.path + ": " + s
	}
	if v.detail != "" {
		s += " (" + v.detail + ")"
	}
	return s
}

func tooLong(path string, max, got int) violation {
	return violation{path: path, code: "BASE_TYPE_MAX_LENGTH", message: fmt.Sprintf("Must be %d or fewer in length.", max), detail: fmt.Sprintf("got %d", got)}
}

func badLength(path string, min, max, got int) violation {
	return violation{path: path, code: "BASE_TYPE_BAD_LENGTH", message: fmt.Sprintf("Must be between %d and %d in length.", min, max), detail: fmt.Sprintf("got %d", got)}
}

func required(path string) violation {
	return violation{path: path, code: "BASE_TYPE_REQUIRED", message: "This field is required"}
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// messagePayload returns the request's message payload ({} when there is
// none) after checking it against Discord's limits; when it breaks them,
// the request has been refused and ok is false. create is a new message
// (a post or a follow-up) rather than an edit.
func (c *call) messagePayload(create bool) (payload json.RawMessage, ok bool) {
	payload = c.payload
	if payload == nil {
		payload = json.RawMessage(`{}`)
	}
	if vs := checkMessage(payload, "", create, len(c.files) > 0); len(vs) > 0 {
		c.reject(vs)
		return nil, false
	}
	return payload, true
}

// checkMessage applies Discord's message limits and pulsebot's mention rule
// to a message payload. prefix is prepended to paths ("data." inside an
// interaction callback); create demands a non-empty message, as Discord does
// for new messages but not for edits.
func checkMessage(payload json.RawMessage, prefix string, create, hasFiles bool) []violation {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(payload, &m); err != nil {
		return []violation{{path: strings.TrimSuffix(prefix, "."), code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType", detail: err.Error()}}
	}
	var vs []violation
	var content string
	if raw := m["content"]; !isNull(raw) {
		if err := json.Unmarshal(raw, &content); err != nil {
			vs = append(vs, violation{path: prefix + "content", code: "BASE_TYPE_STRING", message: "Could not interpret value as string."})
		} else if n := runes(content); n > maxContent {
			vs = append(vs, tooLong(prefix+"content", maxContent, n))
		}
	}
	nEmbeds, evs := checkEmbeds(m["embeds"], prefix+"embeds")
	vs = append(vs, evs...)

	if content != "" || nEmbeds > 0 {
		vs = append(vs, checkAllowedMentions(m["allowed_mentions"], prefix+"allowed_mentions")...)
	}
	if create && content == "" && nEmbeds == 0 && !hasFiles &&
		isEmptyList(m["components"]) && isEmptyList(m["sticker_ids"]) && isEmptyList(m["attachments"]) && isNull(m["poll"]) {
		vs = append(vs, violation{message: "Cannot send an empty message", apiCode: 50006})
	}
	return vs
}

func isEmptyList(raw json.RawMessage) bool {
	var l []json.RawMessage
	return isNull(raw) || json.Unmarshal(raw, &l) != nil || len(l) == 0
}

// checkAllowedMentions enforces pulsebot's rule: every message with content
// or embeds carries allowed_mentions with parse an explicit empty list, so
// that nothing the bot relays (a headline with "@everyone") can ping.
// discordgo sends "parse":null for a zero MessageAllowedMentions and omits
// the object when the pointer is nil; both are flagged.
func checkAllowedMentions(raw json.RawMessage, path string) []violation {
	const code = "DISCORDTEST_ALLOWED_MENTIONS"
	if isNull(raw) {
		return []violation{{path: path, code: code, message: `allowed_mentions must be sent with "parse": [] (pulsebot rule: the bot never pings)`, detail: "absent or null"}}
	}
	var am map[string]json.RawMessage
	if err := json.Unmarshal(raw, &am); err != nil {
		return []violation{{path: path, code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType"}}
	}
	p, ok := am["parse"]
	var list []json.RawMessage
	switch {
	case !ok || isNull(p):
		detail := "parse is absent"
		if ok {
			detail = "parse is null (a zero discordgo.MessageAllowedMentions)"
		}
		return []violation{{path: path + ".parse", code: code, message: `parse must be an explicit empty array [] (pulsebot rule: the bot never pings)`, detail: detail}}
	case json.Unmarshal(p, &list) != nil:
		return []violation{{path: path + ".parse", code: "BASE_TYPE_ARRAY", message: "Must be an array."}}
	case len(list) > 0:
		return []violation{{path: path + ".parse", code: code, message: `parse must be an explicit empty array [] (pulsebot rule: the bot never pings)`, detail: "got " + string(p)}}
	}
	return nil
}

type embedFields struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	Fields      []struct {
		Name  *string `json:"name"`
		Value *string `json:"value"`
	} `json:"fields"`
	Footer *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Author *struct {
		Name string `json:"name"`
	} `json:"author"`
}

// checkEmbeds returns how many embeds there are and what is wrong with them.
func checkEmbeds(raw json.RawMessage, path string) (int, []violation) {
	if isNull(raw) {
		return 0, nil
	}
	var embeds []embedFields
	if err := json.Unmarshal(raw, &embeds); err != nil {
		return 0, []violation{{path: path, code: "BASE_TYPE_ARRAY", message: "Must be an array of embed objects.", detail: err.Error()}}
	}
	var vs []violation
	if len(embeds) > maxEmbeds {
		vs = append(vs, tooLong(path, maxEmbeds, len(embeds)))
	}
	total := 0
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	for i, e := range embeds {
		ep := path + "." + strconv.Itoa(i) + "."
		limit := func(field string, s string, max int) {
			n := runes(s)
			total += n
			if n > max {
				vs = append(vs, tooLong(ep+field, max, n))
			}
		}
		limit("title", str(e.Title), maxEmbedTitle)
		limit("description", str(e.Description), maxEmbedDesc)
		if len(e.Fields) > maxEmbedFields {
			vs = append(vs, tooLong(ep+"fields", maxEmbedFields, len(e.Fields)))
		}
		for j, f := range e.Fields {
			fp := "fields." + strconv.Itoa(j) + "."
			if str(f.Name) == "" {
				vs = append(vs, required(ep+fp+"name"))
			}
			if str(f.Value) == "" {
				vs = append(vs, required(ep+fp+"value"))
			}
			limit(fp+"name", str(f.Name), maxFieldName)
			limit(fp+"value", str(f.Value), maxFieldValue)
		}
		if e.Footer != nil {
			limit("footer.text", e.Footer.Text, maxFooterText)
		}
		if e.Author != nil {
			limit("author.name", e.Author.Name, maxAuthorName)
		}
	}
	if total > maxEmbedTotal {
		vs = append(vs, violation{path: path, code: "MAX_EMBED_SIZE_EXCEEDED", message: "Embed size exceeds maximum size of 6000", detail: fmt.Sprintf("got %d", total)})
	}
	return len(embeds), vs
}

// checkChoices checks an autocomplete result's data.
func checkChoices(data json.RawMessage) []violation {
	var d struct {
		Choices []struct {
			Name  *string         `json:"name"`
			Value json.RawMessage `json:"value"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(data, &d); err != nil || isNull(data) {
		return []violation{{path: "data", code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType"}}
	}
	var vs []violation
	if len(d.Choices) > maxChoices {
		vs = append(vs, tooLong("data.choices", maxChoices, len(d.Choices)))
	}
	for i, c := range d.Choices {
		vs = append(vs, checkChoice(c.Name, c.Value, "data.choices."+strconv.Itoa(i))...)
	}
	return vs
}

func checkChoice(name *string, value json.RawMessage, path string) []violation {
	var vs []violation
	if name == nil {
		vs = append(vs, required(path+".name"))
	} else if n := runes(*name); n < 1 || n > maxChoiceName {
		vs = append(vs, badLength(path+".name", 1, maxChoiceName, n))
	}
	var sv string
	switch {
	case isNull(value):
		vs = append(vs, required(path+".value"))
	case json.Unmarshal(value, &sv) == nil:
		if n := runes(sv); n > maxChoiceValue {
			vs = append(vs, tooLong(path+".value", maxChoiceValue, n))
		}
	}
	return vs
}

// commandName is Discord's CHAT_INPUT command and option name pattern.
var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

type commandJSON struct {
	Name        string          `json:"name"`
	Type        int             `json:"type"`
	Description string          `json:"description"`
	Options     []optionDefJSON `json:"options"`
}

type optionDefJSON struct {
	Type        int             `json:"type"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Required    bool            `json:"required"`
	Options     []optionDefJSON `json:"options"`
	Choices     []struct {
		Name  *string         `json:"name"`
		Value json.RawMessage `json:"value"`
	} `json:"choices"`
}

// checkCommands checks a bulk-overwrite body the way Discord validates
// application commands: names, descriptions, option counts and order.
func checkCommands(body json.RawMessage) []violation {
	var cmds []commandJSON
	if err := json.Unmarshal(body, &cmds); err != nil {
		return []violation{{code: "BASE_TYPE_ARRAY", message: "Must be an array of application commands.", detail: err.Error()}}
	}
	var vs []violation
	seen := map[string]bool{}
	perType := map[int]int{}
	for i, c := range cmds {
		p := strconv.Itoa(i)
		typ := c.Type
		if typ == 0 {
			typ = 1
		}
		perType[typ]++
		key := strconv.Itoa(typ) + "/" + c.Name
		if seen[key] {
			vs = append(vs, violation{path: p + ".name", code: "APPLICATION_COMMANDS_DUPLICATE_NAME", message: "Application command names must be unique", detail: c.Name})
		}
		seen[key] = true
		if typ == 1 {
			vs = append(vs, checkName(p+".name", c.Name)...)
			vs = append(vs, checkDescription(p+".description", c.Description)...)
			vs = append(vs, checkOptionDefs(p+".options", c.Options)...)
			continue
		}
		if n := runes(c.Name); n < 1 || n > maxCommandName {
			vs = append(vs, badLength(p+".name", 1, maxCommandName, n))
		}
		if c.Description != "" {
			vs = append(vs, violation{path: p + ".description", code: "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION", message: "Context menu commands cannot have description"})
		}
	}
	for typ, n := range perType {
		if n > maxCommandsPerKind {
			vs = append(vs, violation{code: "APPLICATION_COMMAND_TOO_MANY", message: "Maximum number of application commands reached", detail: fmt.Sprintf("%d of type %d", n, typ)})
		}
	}
	return vs
}

func checkName(path, name string) []violation {
	if !commandName.MatchString(name) || strings.ToLower(name) != name {
		return []violation{{path: path, code: "APPLICATION_COMMAND_INVALID_NAME", message: "Command name is invalid", detail: strconv.Quote(name)}}
	}
	return nil
}

func checkDescription(path, d string) []violation {
	if n := runes(d); n < 1 || n > maxDescription {
		return []violation{badLength(path, 1, maxDescription, n)}
	}
	return nil
}

func checkOptionDefs(path string, opts []optionDefJSON) []violation {
	var vs []violation
	if len(opts) > maxCommandOptions {
		vs = append(vs, tooLong(path, maxCommandOptions, len(opts)))
	}
	optional := false
	for i, o := range opts {
		p := path + "." + strconv.Itoa(i)
		vs = append(vs, checkName(p+".name", o.Name)...)
		vs = append(vs, checkDescription(p+".description", o.Description)...)
		if o.Type == 1 || o.Type == 2 { // subcommand (group)
			vs = append(vs, checkOptionDefs(p+".options", o.Options)...)
			continue
		}
		if o.Required && optional {
			vs = append(vs, violation{path: p + ".required", code: "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", message: "Required options must be placed before non-required options"})
		}
		optional = optional || !o.Required
		if len(o.Choices) > maxChoices {
			vs = append(vs, tooLong(p+".choices", maxChoices, len(o.Choices)))
		}
		for j, c := range o.Choices {
			vs = append(vs, checkChoice(c.Name, c.Value, p+".choices."+strconv.Itoa(j))...)
		}
	}
	return vs
}

// checkModal checks a MODAL callback's data.
func checkModal(data json.RawMessage) []violation {
	var d struct {
		CustomID   string            `json:"custom_id"`
		Title      string            `json:"title"`
		Components []json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(data, &d); err != nil || isNull(data) {
		return []violation{{path: "data", code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType"}}
	}
	var vs []violation
	if n := runes(d.Title); n < 1 || n > maxModalTitle {
		vs = append(vs, badLength("data.title", 1, maxModalTitle, n))
	}
	if n := runes(d.CustomID); n < 1 || n > 100 {
		vs = append(vs, badLength("data.custom_id", 1, 100, n))
	}
	if n := len(d.Components); n < 1 || n > 5 {
		vs = append(vs, badLength("data.components", 1, 5, n))
	}
	return vs
}

// formErrors renders violations as Discord's 400 body: a top-level error
// for whole-request problems (50006), else "Invalid Form Body" (50035) with
// the nested errors object Discord uses.
func formErrors(vs []violation) map[string]any {
	for _, v := range vs {
		if v.apiCode != 0 {
			return map[string]any{"message": v.message, "code": v.apiCode}
		}
	}
	errs := map[string]any{}
	for _, v := range vs {
		node := errs
		if v.path != "" {
			for _, part := range strings.Split(v.path, ".") {
				next, ok := node[part].(map[string]any)
				if !ok {
					next = map[string]any{}
					node[part] = next
				}
				node = next
			}
		}
		list, _ := node["_errors"].([]any)
		node["_errors"] = append(list, map[string]any{"code": v.code, "message": v.message})
	}
	return map[string]any{"message": "Invalid Form Body", "code": 50035, "errors": errs}
}
