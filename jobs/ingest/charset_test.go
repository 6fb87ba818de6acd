package ingest

import (
	"bytes"
	"testing"
)

func TestToUTF8(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"no declaration", "<rss>ü</rss>", "<rss>ü</rss>"},
		{"utf-8 declared", `<?xml version="1.0" encoding="utf-8"?><r>ü</r>`, `<?xml version="1.0" encoding="utf-8"?><r>ü</r>`},
		{"declaration without encoding", `<?xml version="1.0"?><r>ü</r>`, `<?xml version="1.0"?><r>ü</r>`},
		{"latin-1 transcoded, label rewritten", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>f\xfcr \xa9</r>", `<?xml version="1.0" encoding="UTF-8"?><r>für ©</r>`},
		{"spaces and single quotes", "<?xml version = '1.0' encoding = 'latin1' ?><r>\xe4</r>", `<?xml version = '1.0' encoding = 'UTF-8' ?><r>ä</r>`},
		{"leading whitespace", "\n <?xml version=\"1.0\" encoding=\"windows-1252\"?><r>\x93q\x94</r>", "\n " + `<?xml version="1.0" encoding="UTF-8"?><r>“q”</r>`},
		{"ascii body declared latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><r>a</r>`, `<?xml version="1.0" encoding="UTF-8"?><r>a</r>`},
		{"utf-8 body declared latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><r>ü</r>`, `<?xml version="1.0" encoding="UTF-8"?><r>ü</r>`},
		{"unknown label, bad byte replaced", "<?xml version=\"1.0\" encoding=\"x-nope\"?><r>\xff</r>", `<?xml version="1.0" encoding="UTF-8"?><r>` + "\ufffd</r>"},
		{"UTF-8 BOM dropped", "\xef\xbb\xbf<r/>", "<r/>"},
		{"UTF-16BE with BOM", "\xfe\xff\x00<\x00r\x00>\x00\xfc\x00<\x00/\x00r\x00>", "<r>ü</r>"},
		{"invalid UTF-8 replaced", "<r>a\xffb\xc3</r>", "<r>a\ufffdb\ufffd</r>"},
		{"noncharacters replaced", "<r>\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd</r>", "<r>\ufffd\ufffd\ufffd</r>"},
		{"unterminated declaration left alone", `<?xml version="1.0" encoding="latin1"`, `<?xml version="1.0" encoding="latin1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := toUTF8([]byte(tt.in)); !bytes.Equal(got, []byte(tt.want)) {
				t.Errorf("toUTF8(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
