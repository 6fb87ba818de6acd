package bot

import (
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's limits on what a message or an autocomplete answer may hold,
// counted in characters (code points). A message over any of them is
// refused whole with a 400, so every reply passes through fitReply before
// it leaves Handle; renderers also size their own parts (a headline, a
// list) so that fitReply rarely has to cut.
const (
	limitContent     = 2000
	limitTitle       = 256
	limitDescription = 4096
	limitFieldName   = 256
	limitFieldValue  = 1024
	limitFooter      = 2048
	limitAuthor      = 256
	limitFields      = 25
	limitEmbeds      = 10
	limitEmbedTotal  = 6000 // all embeds of one message together
	limitChoices     = 25
	limitChoiceName  = 100 // also the length of a string choice value
)

// ellipsis marks text that was cut.
const ellipsis = "…"

// emptyField stands in for an empty field name or value, which Discord
// refuses.
const emptyField = "—"

// clip shortens s to at most max characters, cutting on a rune boundary
// and ending with "…" when it cut. Cutting only ever removes a suffix, so
// text that was made inert (escaped markdown, neutralized mentions) stays
// inert.
func clip(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + ellipsis
		}
		n++
	}
	return s
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// fitReply brings a reply within every limit: the last line of defence
// behind the renderers.
func fitReply(r Reply) Reply {
	r.Content = clip(r.Content, limitContent)
	if len(r.Embeds) > limitEmbeds {
		r.Embeds = r.Embeds[:limitEmbeds]
	}
	embeds := make([]*discordgo.MessageEmbed, 0, len(r.Embeds))
	for _, e := range r.Embeds {
		if e != nil {
			embeds = append(embeds, fitEmbed(e))
		}
	}
	r.Embeds = embeds
	r.Embeds = fitEmbedTotal(r.Embeds)
	if r.Choices != nil {
		r.Choices = fitChoices(r.Choices)
	}
	if r.Content == "" && len(r.Embeds) == 0 && len(r.Files) == 0 && r.Choices == nil {
		r.Content = "Done."
	}
	return r
}

// fitEmbed returns a copy of e within the per-embed limits.
func fitEmbed(e *discordgo.MessageEmbed) *discordgo.MessageEmbed {
	c := *e
	c.Title = clip(c.Title, limitTitle)
	c.Description = clip(c.Description, limitDescription)
	if c.Footer != nil {
		f := *c.Footer
		f.Text = clip(f.Text, limitFooter)
		c.Footer = &f
	}
	if c.Author != nil {
		a := *c.Author
		a.Name = clip(a.Name, limitAuthor)
		c.Author = &a
	}
	if len(c.Fields) > limitFields {
		c.Fields = c.Fields[:limitFields]
	}
	fields := make([]*discordgo.MessageEmbedField, 0, len(c.Fields))
	for _, f := range c.Fields {
		if f == nil {
			continue
		}
		g := *f
		g.Name = nonEmpty(clip(g.Name, limitFieldName))
		g.Value = nonEmpty(clip(g.Value, limitFieldValue))
		fields = append(fields, &g)
	}
	c.Fields = fields
	return &c
}

func nonEmpty(s string) string {
	for _, r := range s {
		if r != ' ' && r != '\n' && r != '\t' {
			return s
		}
	}
	return emptyField
}

// embedChars counts what Discord counts towards the 6000 characters of a
// message's embeds.
func embedChars(e *discordgo.MessageEmbed) int {
	n := runeLen(e.Title) + runeLen(e.Description)
	if e.Footer != nil {
		n += runeLen(e.Footer.Text)
	}
	if e.Author != nil {
		n += runeLen(e.Author.Name)
	}
	for _, f := range e.Fields {
		n += runeLen(f.Name) + runeLen(f.Value)
	}
	return n
}

// fitEmbedTotal cuts the embeds' combined text to limitEmbedTotal: first
// the long parts (field values and descriptions, last ones first), then,
// if names and titles alone are still too many, whole fields and embeds
// from the end.
func fitEmbedTotal(embeds []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	total := 0
	for _, e := range embeds {
		if e != nil {
			total += embedChars(e)
		}
	}
	excess := total - limitEmbedTotal
	shrink := func(s *string, min int) {
		if excess <= 0 {
			return
		}
		n := runeLen(*s)
		if n <= min {
			return
		}
		keep := max(n-excess, min)
		*s = clip(*s, keep)
		excess -= n - runeLen(*s)
	}
	for i := len(embeds) - 1; i >= 0 && excess > 0; i-- {
		e := embeds[i]
		if e == nil {
			continue
		}
		for j := len(e.Fields) - 1; j >= 0 && excess > 0; j-- {
			shrink(&e.Fields[j].Value, 1)
		}
		shrink(&e.Description, 0)
	}
	for i := len(embeds) - 1; i >= 0 && excess > 0; i-- {
		e := embeds[i]
		if e == nil {
			continue
		}
		for len(e.Fields) > 0 && excess > 0 {
			f := e.Fields[len(e.Fields)-1]
			excess -= runeLen(f.Name) + runeLen(f.Value)
			e.Fields = e.Fields[:len(e.Fields)-1]
		}
		if excess > 0 && i > 0 {
			excess -= embedChars(e)
			embeds[i] = nil
		}
	}
	// Whatever is left over is the first embed's title, author and footer.
	if e := embeds; len(e) > 0 && e[0] != nil && excess > 0 {
		if e[0].Footer != nil {
			shrink(&e[0].Footer.Text, 0)
		}
		shrink(&e[0].Title, 1)
	}
	out := embeds[:0]
	for _, e := range embeds {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}

// fitChoices keeps at most 25 choices with names of at most 100
// characters. A string value cannot be cut (it is what comes back), so a
// choice whose value is too long is dropped.
func fitChoices(cs []*discordgo.ApplicationCommandOptionChoice) []*discordgo.ApplicationCommandOptionChoice {
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, min(len(cs), limitChoices))
	for _, c := range cs {
		if len(out) == limitChoices {
			break
		}
		if c == nil {
			continue
		}
		if s, ok := c.Value.(string); ok && (runeLen(s) > limitChoiceName || s == "") {
			continue
		}
		d := *c
		d.Name = clip(d.Name, limitChoiceName)
		if d.Name == "" {
			continue
		}
		out = append(out, &d)
	}
	return out
}
