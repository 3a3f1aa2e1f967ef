package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrInvalidMetadata is returned when metadata (or another rendered value)
// cannot be represented as Python would decode it: a number that overflows
// float64, or an unpaired UTF-16 surrogate escape.
var ErrInvalidMetadata = errors.New("metadata is not valid")

// value is a decoded JSON value that keeps what Python's json module keeps:
// member order, int/float distinction and arbitrary-size integers.
type value struct {
	kind    byte // 's' string, 'i' int, 'f' float, 'b' bool, 'n' null, 'o' object, 'a' array
	str     string
	num     string // the JSON number token for 'i' and 'f'
	boolean bool
	keys    []string // object member keys in first-seen order
	vals    []value  // object values (parallel to keys) or array items
}

// parseValue decodes one JSON value from raw. Syntax errors wrap
// ErrMalformedJSON; semantic problems (overflow, lone surrogates) wrap
// ErrInvalidMetadata.
func parseValue(raw []byte) (value, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	v, err := decodeValue(d)
	if err != nil {
		return value{}, err
	}
	if _, err := d.Token(); err != io.EOF {
		return value{}, ErrMalformedJSON
	}
	return v, nil
}

func decodeValue(d *json.Decoder) (value, error) {
	tok, err := d.Token()
	if err != nil {
		return value{}, ErrMalformedJSON
	}
	return decodeFrom(d, tok)
}

func decodeFrom(d *json.Decoder, tok json.Token) (value, error) {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			v := value{kind: 'o'}
			idx := map[string]int{}
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return value{}, ErrMalformedJSON
				}
				k, ok := kt.(string)
				if !ok {
					return value{}, ErrMalformedJSON
				}
				if !validUnicode(k) {
					return value{}, ErrInvalidMetadata
				}
				item, err := decodeValue(d)
				if err != nil {
					return value{}, err
				}
				if i, dup := idx[k]; dup {
					v.vals[i] = item // last value wins, first position kept
					continue
				}
				idx[k] = len(v.keys)
				v.keys = append(v.keys, k)
				v.vals = append(v.vals, item)
			}
			if _, err := d.Token(); err != nil {
				return value{}, ErrMalformedJSON
			}
			return v, nil
		case '[':
			v := value{kind: 'a'}
			for d.More() {
				item, err := decodeValue(d)
				if err != nil {
					return value{}, err
				}
				v.vals = append(v.vals, item)
			}
			if _, err := d.Token(); err != nil {
				return value{}, ErrMalformedJSON
			}
			return v, nil
		}
		return value{}, ErrMalformedJSON
	case string:
		if !validUnicode(t) {
			return value{}, ErrInvalidMetadata
		}
		return value{kind: 's', str: t}, nil
	case json.Number:
		s := string(t)
		if strings.ContainsAny(s, ".eE") {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsInf(f, 0) {
				return value{}, ErrInvalidMetadata
			}
			return value{kind: 'f', num: s}, nil
		}
		return value{kind: 'i', num: s}, nil
	case bool:
		return value{kind: 'b', boolean: t}, nil
	case nil:
		return value{kind: 'n'}, nil
	}
	return value{}, ErrMalformedJSON
}

// validUnicode reports whether s decoded without unpaired surrogates.
// encoding/json turns a lone \ud800 escape into U+FFFD; Python keeps the
// surrogate and then cannot encode it, so we refuse those. A literal U+FFFD
// in the input is indistinguishable here and is refused too (documented).
func validUnicode(s string) bool { return !strings.ContainsRune(s, utf8.RuneError) }

// RenderPython returns Python 3's str() of the value Python's json module
// decodes from raw (engram.md §4.2): strings as themselves, integers exactly,
// floats in repr form, True/False/None, and objects and lists in repr form.
// It returns an error wrapping ErrMalformedJSON for bad JSON and
// ErrInvalidMetadata for values Python could not represent.
func RenderPython(raw json.RawMessage) (string, error) {
	v, err := parseValue(raw)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if v.kind == 's' {
		return v.str, nil
	}
	renderRepr(&b, v)
	return b.String(), nil
}

func renderRepr(b *strings.Builder, v value) {
	switch v.kind {
	case 's':
		b.WriteString(PyStrRepr(v.str))
	case 'i':
		b.WriteString(pyInt(v.num))
	case 'f':
		f, _ := strconv.ParseFloat(v.num, 64)
		b.WriteString(PyFloatRepr(f))
	case 'b':
		if v.boolean {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case 'n':
		b.WriteString("None")
	case 'o':
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(PyStrRepr(k))
			b.WriteString(": ")
			renderRepr(b, v.vals[i])
		}
		b.WriteByte('}')
	case 'a':
		b.WriteByte('[')
		for i, item := range v.vals {
			if i > 0 {
				b.WriteString(", ")
			}
			renderRepr(b, item)
		}
		b.WriteByte(']')
	}
}

// pyInt renders a JSON integer token as Python int: exact at any size,
// -0 as 0.
func pyInt(tok string) string {
	var n big.Int
	if _, ok := n.SetString(tok, 10); !ok {
		return tok // cannot happen for a token encoding/json accepted
	}
	return n.String()
}

// PyFloatRepr returns Python's repr of f: the shortest round-trip digits,
// positional for decimal exponents in [-4, 16), scientific otherwise with a
// signed exponent of at least two digits; always a fractional part in
// positional form ("1.0"); "-0.0", "inf", "nan" as Python prints them.
func PyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // e.g. "-1.2345e+06"
	sign := ""
	if e[0] == '-' {
		sign, e = "-", e[1:]
	}
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	digits := strings.Replace(mant, ".", "", 1)
	if exp < -4 || exp >= 16 {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		es := strconv.Itoa(abs(exp))
		if len(es) < 2 {
			es = "0" + es
		}
		if exp < 0 {
			return sign + m + "e-" + es
		}
		return sign + m + "e+" + es
	}
	var out string
	switch {
	case exp < 0:
		out = "0." + strings.Repeat("0", -exp-1) + digits
	case exp+1 >= len(digits):
		out = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	default:
		out = digits[:exp+1] + "." + digits[exp+1:]
	}
	return sign + out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// PyStrRepr returns Python's repr of a str: single quotes unless the string
// contains ' and no ", backslash escapes for \\, the chosen quote, \t \n \r,
// and \xhh, \uhhhh or \Uhhhhhhhh for non-printable characters.
func PyStrRepr(s string) string {
	quote := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(quote):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case !pyPrintable(r):
			switch {
			case r <= 0xff:
				fmt.Fprintf(&b, `\x%02x`, r)
			case r <= 0xffff:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// pyPrintable mirrors Python's str.isprintable for one character:
// everything except categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs, with the
// ASCII space allowed.
func pyPrintable(r rune) bool {
	if r == ' ' {
		return true
	}
	if utf16.IsSurrogate(r) {
		return false
	}
	switch {
	case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Zl, unicode.Zp, unicode.Zs):
		return false
	}
	// Cn: unassigned code points. Go's tables know assigned characters by
	// category; a rune in none of the general categories is unassigned.
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S)
}
