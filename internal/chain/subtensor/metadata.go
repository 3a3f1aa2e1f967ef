package subtensor

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/subnetkit/subnetkit/internal/chain/subtensor/scale"
)

// metadataMagic is "meta", the prefix of state_getMetadata's answer.
const metadataMagic = 0x6174656d

// Primitive kinds of the type registry (scale-info's TypeDefPrimitive).
const (
	primBool = iota
	primChar
	primStr
	primU8
	primU16
	primU32
	primU64
	primU128
	primU256
	primI8
	primI16
	primI32
	primI64
	primI128
	primI256
)

// Type definition kinds (scale-info's TypeDef variant indices).
const (
	defComposite = iota
	defVariant
	defSequence
	defArray
	defTuple
	defPrimitive
	defCompact
	defBitSequence
)

// Field is one field of a composite type or enum variant.
type Field struct {
	Name     string
	Type     uint32
	TypeName string
}

// Variant is one variant of an enum type.
type Variant struct {
	Name   string
	Index  uint8
	Fields []Field
}

// Type is one entry of the runtime's type registry.
type Type struct {
	ID   uint32
	Path []string
	// Def is one of the def* kinds.
	Def      int
	Fields   []Field   // composite
	Variants []Variant // variant
	Elem     uint32    // sequence, array, compact
	Len      uint32    // array
	Tuple    []uint32  // tuple
	Prim     int       // primitive
}

// Hasher is a storage key hasher.
type Hasher uint8

// Storage hashers, in metadata order.
const (
	HasherBlake2_128 Hasher = iota
	HasherBlake2_256
	HasherBlake2_128Concat
	HasherTwox128
	HasherTwox256
	HasherTwox64Concat
	HasherIdentity
)

// StorageEntry describes one storage item.
type StorageEntry struct {
	Name string
	// Optional is true for the Optional modifier (absent = None) and false
	// for Default (absent = Default bytes).
	Optional bool
	Hashers  []Hasher
	Key      uint32
	Value    uint32
	Default  []byte
}

// Pallet is one pallet's metadata.
type Pallet struct {
	Name          string
	Index         uint8
	StoragePrefix string
	Storage       map[string]StorageEntry
	Calls         *uint32
	Events        *uint32
	Errors        *uint32
}

// SignedExtension is one entry of the extrinsic's signed extension list.
type SignedExtension struct {
	Identifier       string
	Type             uint32
	AdditionalSigned uint32
}

// Metadata is the subset of a runtime's V14 metadata the client uses.
type Metadata struct {
	Types            []Type
	Pallets          []Pallet
	ExtrinsicVersion uint8
	SignedExtensions []SignedExtension
}

// ErrMetadataVersion is returned for metadata other than V14.
var ErrMetadataVersion = errors.New("subtensor: unsupported metadata version (want 14)")

// ParseMetadata decodes "meta"-prefixed V14 runtime metadata, as
// state_getMetadata returns it.
func ParseMetadata(b []byte) (*Metadata, error) {
	if len(b) < 5 || binary.LittleEndian.Uint32(b) != metadataMagic {
		return nil, errors.New("subtensor: metadata lacks the \"meta\" prefix")
	}
	if b[4] != 14 {
		return nil, fmt.Errorf("%w: got %d", ErrMetadataVersion, b[4])
	}
	d := scale.NewDecoder(b[5:])
	m := &Metadata{}
	n := d.Len(1)
	m.Types = make([]Type, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		t := decodeType(d)
		if d.Err() == nil && t.ID != uint32(i) {
			return nil, fmt.Errorf("subtensor: metadata type %d has id %d (registry must be dense)", i, t.ID)
		}
		m.Types = append(m.Types, t)
	}
	np := d.Len(1)
	for i := 0; i < np && d.Err() == nil; i++ {
		m.Pallets = append(m.Pallets, decodePallet(d))
	}
	d.Compact() // extrinsic type
	m.ExtrinsicVersion = d.U8()
	ne := d.Len(1)
	for i := 0; i < ne && d.Err() == nil; i++ {
		m.SignedExtensions = append(m.SignedExtensions, SignedExtension{
			Identifier:       d.String(),
			Type:             uint32(d.Compact()),
			AdditionalSigned: uint32(d.Compact()),
		})
	}
	d.Compact() // runtime type
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("subtensor: decode metadata: %w", err)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	return m, nil
}

// check verifies every type reference points into the registry, so later
// lookups cannot go out of range.
func (m *Metadata) check() error {
	ok := func(id uint32) bool { return int(id) < len(m.Types) }
	for _, t := range m.Types {
		refs := []uint32{}
		for _, f := range t.Fields {
			refs = append(refs, f.Type)
		}
		for _, v := range t.Variants {
			for _, f := range v.Fields {
				refs = append(refs, f.Type)
			}
		}
		refs = append(refs, t.Tuple...)
		if t.Def == defSequence || t.Def == defArray || t.Def == defCompact || t.Def == defBitSequence {
			refs = append(refs, t.Elem)
		}
		for _, r := range refs {
			if !ok(r) {
				return fmt.Errorf("subtensor: metadata type %d refers to missing type %d", t.ID, r)
			}
		}
	}
	for _, p := range m.Pallets {
		for _, id := range []*uint32{p.Calls, p.Events, p.Errors} {
			if id != nil && !ok(*id) {
				return fmt.Errorf("subtensor: pallet %s refers to missing type %d", p.Name, *id)
			}
		}
		for _, s := range p.Storage {
			if !ok(s.Key) || !ok(s.Value) {
				return fmt.Errorf("subtensor: storage %s.%s refers to a missing type", p.Name, s.Name)
			}
		}
	}
	for _, e := range m.SignedExtensions {
		if !ok(e.Type) || !ok(e.AdditionalSigned) {
			return fmt.Errorf("subtensor: signed extension %s refers to a missing type", e.Identifier)
		}
	}
	return nil
}

func decodeStrings(d *scale.Decoder) []string {
	n := d.Len(1)
	var out []string
	for i := 0; i < n && d.Err() == nil; i++ {
		out = append(out, d.String())
	}
	return out
}

func decodeFields(d *scale.Decoder) []Field {
	n := d.Len(1)
	var out []Field
	for i := 0; i < n && d.Err() == nil; i++ {
		var f Field
		if d.Option() {
			f.Name = d.String()
		}
		f.Type = uint32(d.Compact())
		if d.Option() {
			f.TypeName = d.String()
		}
		decodeStrings(d) // docs
		out = append(out, f)
	}
	return out
}

func decodeType(d *scale.Decoder) Type {
	t := Type{ID: uint32(d.Compact())}
	t.Path = decodeStrings(d)
	np := d.Len(1)
	for i := 0; i < np && d.Err() == nil; i++ { // type params
		_ = d.String()
		if d.Option() {
			d.Compact()
		}
	}
	t.Def = int(d.U8())
	switch t.Def {
	case defComposite:
		t.Fields = decodeFields(d)
	case defVariant:
		n := d.Len(1)
		for i := 0; i < n && d.Err() == nil; i++ {
			v := Variant{Name: d.String()}
			v.Fields = decodeFields(d)
			v.Index = d.U8()
			decodeStrings(d)
			t.Variants = append(t.Variants, v)
		}
	case defSequence, defCompact:
		t.Elem = uint32(d.Compact())
	case defArray:
		t.Len = d.U32()
		t.Elem = uint32(d.Compact())
	case defTuple:
		n := d.Len(1)
		for i := 0; i < n && d.Err() == nil; i++ {
			t.Tuple = append(t.Tuple, uint32(d.Compact()))
		}
	case defPrimitive:
		t.Prim = int(d.U8())
		if t.Prim > primI256 {
			d.Fail(fmt.Errorf("subtensor: unknown primitive %d", t.Prim))
		}
	case defBitSequence:
		t.Elem = uint32(d.Compact())
		d.Compact()
	default:
		d.Fail(fmt.Errorf("subtensor: unknown type definition %d", t.Def))
	}
	decodeStrings(d) // docs
	return t
}

func decodePallet(d *scale.Decoder) Pallet {
	p := Pallet{Name: d.String()}
	if d.Option() {
		p.StoragePrefix = d.String()
		n := d.Len(1)
		p.Storage = make(map[string]StorageEntry, n)
		for i := 0; i < n && d.Err() == nil; i++ {
			e := StorageEntry{Name: d.String()}
			switch mod := d.U8(); mod {
			case 0:
				e.Optional = true
			case 1:
			default:
				d.Fail(fmt.Errorf("subtensor: unknown storage modifier %d", mod))
			}
			switch kind := d.U8(); kind {
			case 0:
				e.Value = uint32(d.Compact())
			case 1:
				nh := d.Len(1)
				for j := 0; j < nh && d.Err() == nil; j++ {
					h := Hasher(d.U8())
					if h > HasherIdentity {
						d.Fail(fmt.Errorf("subtensor: unknown storage hasher %d", h))
					}
					e.Hashers = append(e.Hashers, h)
				}
				e.Key = uint32(d.Compact())
				e.Value = uint32(d.Compact())
			default:
				d.Fail(fmt.Errorf("subtensor: unknown storage entry kind %d", kind))
			}
			e.Default = slices.Clone(d.ByteVec())
			decodeStrings(d)
			p.Storage[e.Name] = e
		}
	}
	optType := func() *uint32 {
		if d.Option() {
			return new(uint32(d.Compact()))
		}
		return nil
	}
	p.Calls = optType()
	p.Events = optType()
	nc := d.Len(1)
	for i := 0; i < nc && d.Err() == nil; i++ { // constants
		_ = d.String()
		d.Compact()
		d.ByteVec()
		decodeStrings(d)
	}
	p.Errors = optType()
	p.Index = d.U8()
	return p
}

// Pallet returns the pallet named name.
func (m *Metadata) Pallet(name string) (*Pallet, bool) {
	for i := range m.Pallets {
		if m.Pallets[i].Name == name {
			return &m.Pallets[i], true
		}
	}
	return nil, false
}

// PalletByIndex returns the pallet with the given index.
func (m *Metadata) PalletByIndex(index uint8) (*Pallet, bool) {
	for i := range m.Pallets {
		if m.Pallets[i].Index == index {
			return &m.Pallets[i], true
		}
	}
	return nil, false
}

// Type returns the registry entry id. ParseMetadata has checked that every
// reference is in range; an out-of-range id is a programming error.
func (m *Metadata) Type(id uint32) *Type { return &m.Types[id] }

// variantByName finds a variant of enum type id.
func (m *Metadata) variantByName(id uint32, name string) (*Variant, bool) {
	t := m.Type(id)
	for i := range t.Variants {
		if t.Variants[i].Name == name {
			return &t.Variants[i], true
		}
	}
	return nil, false
}

// variantByIndex finds a variant of enum type id by its index byte.
func (m *Metadata) variantByIndex(id uint32, index uint8) (*Variant, bool) {
	t := m.Type(id)
	for i := range t.Variants {
		if t.Variants[i].Index == index {
			return &t.Variants[i], true
		}
	}
	return nil, false
}

// Call returns the pallet index and call index of pallet.call, with the
// call's fields.
func (m *Metadata) Call(pallet, call string) (palletIndex, callIndex uint8, fields []Field, err error) {
	p, ok := m.Pallet(pallet)
	if !ok || p.Calls == nil {
		return 0, 0, nil, fmt.Errorf("subtensor: runtime has no pallet %s with calls", pallet)
	}
	v, ok := m.variantByName(*p.Calls, call)
	if !ok {
		return 0, 0, nil, fmt.Errorf("subtensor: runtime has no call %s.%s", pallet, call)
	}
	return p.Index, v.Index, v.Fields, nil
}

// ModuleError names the error with index errIndex of the pallet with index
// palletIndex ("SubtensorModule.SettingWeightsTooFast").
func (m *Metadata) ModuleError(palletIndex, errIndex uint8) (pallet, name string) {
	p, ok := m.PalletByIndex(palletIndex)
	if !ok {
		return fmt.Sprintf("pallet#%d", palletIndex), fmt.Sprintf("error#%d", errIndex)
	}
	if p.Errors != nil {
		if v, ok := m.variantByIndex(*p.Errors, errIndex); ok {
			return p.Name, v.Name
		}
	}
	return p.Name, fmt.Sprintf("error#%d", errIndex)
}

// resolve follows single-field composites (newtypes such as NetUid(u16)) to
// the type that determines the encoding.
func (m *Metadata) resolve(id uint32) *Type {
	for range 32 {
		t := m.Type(id)
		if t.Def == defComposite && len(t.Fields) == 1 {
			id = t.Fields[0].Type
			continue
		}
		if t.Def == defTuple && len(t.Tuple) == 1 {
			id = t.Tuple[0]
			continue
		}
		return t
	}
	return m.Type(id)
}

// isPrim reports whether id encodes as primitive p.
func (m *Metadata) isPrim(id uint32, p int) bool {
	t := m.resolve(id)
	return t.Def == defPrimitive && t.Prim == p
}

// isSeqOf reports whether id encodes as Vec<p>.
func (m *Metadata) isSeqOf(id uint32, p int) bool {
	t := m.resolve(id)
	return t.Def == defSequence && m.isPrim(t.Elem, p)
}

// zeroSized reports whether values of type id encode to no bytes.
func (m *Metadata) zeroSized(id uint32) bool {
	return m.zeroSizedDepth(id, 0)
}

func (m *Metadata) zeroSizedDepth(id uint32, depth int) bool {
	if depth > 64 {
		return false
	}
	t := m.Type(id)
	switch t.Def {
	case defComposite:
		for _, f := range t.Fields {
			if !m.zeroSizedDepth(f.Type, depth+1) {
				return false
			}
		}
		return true
	case defTuple:
		for _, e := range t.Tuple {
			if !m.zeroSizedDepth(e, depth+1) {
				return false
			}
		}
		return true
	case defArray:
		return t.Len == 0 || m.zeroSizedDepth(t.Elem, depth+1)
	default:
		return false
	}
}
