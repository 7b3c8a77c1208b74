package wire

import "fmt"

// IDs makes unique, reproducible identifiers from a counter mixed with a
// seed (splitmix64), so that a simulator built from the same seed names
// its messages and events the same run after run.
type IDs struct {
	Seed uint64
	n    uint64
}

// Next is the next 64 random-looking bits.
func (s *IDs) Next() uint64 {
	s.n++
	z := s.Seed + s.n*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// UUID is a version-4-shaped UUID.
func (s *IDs) UUID() string {
	a, b := s.Next(), s.Next()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", uint32(a>>32), uint16(a>>16), uint16(a)&0xfff, 0x8000|uint16(b>>48)&0x3fff, b&0xffffffffffff)
}
