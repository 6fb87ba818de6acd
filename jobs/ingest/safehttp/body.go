package safehttp

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrTooLarge means a body exceeded Options.MaxBody after decompression. The
// returned error wraps it and states the limit.
var ErrTooLarge = errors.New("body too large")

// maxEncodings bounds "Content-Encoding: gzip, gzip, …": each layer costs a
// decompressor's window, and nobody legitimately stacks more than two.
const maxEncodings = 2

// decodeBody wraps r in decoders for a Content-Encoding header value, in the
// reverse of the order the codings were applied. We ask only for gzip and
// deflate, so anything else is an error rather than bytes the parser can't read.
func decodeBody(r io.Reader, contentEncoding string) (io.Reader, error) {
	var codings []string
	for c := range strings.SplitSeq(contentEncoding, ",") {
		c = strings.ToLower(strings.TrimSpace(c))
		if c != "" && c != "identity" {
			codings = append(codings, c)
		}
	}
	if len(codings) > maxEncodings {
		return nil, fmt.Errorf("content-encoding %q: more than %d layers", contentEncoding, maxEncodings)
	}
	for i := len(codings) - 1; i >= 0; i-- {
		switch codings[i] {
		case "gzip", "x-gzip":
			// A multi-member stream is read to the end, as gzip(1) does.
			zr, err := gzip.NewReader(r)
			if err != nil {
				return nil, fmt.Errorf("decode gzip body: %w", err)
			}
			r = zr
		case "deflate":
			r = newDeflateReader(r)
		default:
			return nil, fmt.Errorf("content-encoding %q: unsupported coding %q", contentEncoding, codings[i])
		}
	}
	return r, nil
}

// newDeflateReader accepts both what RFC 9110 means by deflate (a zlib
// stream) and what some servers send instead (raw RFC 1951 data), telling
// them apart by the zlib header.
func newDeflateReader(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	hdr, err := br.Peek(2)
	if err == nil && hdr[0]&0x0f == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
		zr, err := zlib.NewReader(br)
		if err == nil {
			return zr
		}
		return errReader{fmt.Errorf("decode deflate body: %w", err)}
	}
	return flate.NewReader(br)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// readCapped reads r to the end, but never more than limit+1 bytes: one byte
// over is enough to know the body is too large, and the decompressor stops
// there, so a bomb costs at most limit bytes of memory.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(limit)
	}
	return b, nil
}

func tooLarge(limit int64) error {
	return fmt.Errorf("%w: more than %d bytes after decompression", ErrTooLarge, limit)
}
