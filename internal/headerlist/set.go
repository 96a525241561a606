package headerlist

// linearMax is the size up to which comparing names one by one beats hashing.
const linearMax = 8

// Set is a set of header names that compares case-insensitively without
// allocating. The zero Set is empty; a Set with Any allows every name.
type Set struct {
	Any   bool
	names []string            // lower case
	index map[string]struct{} // the same, when there are more than linearMax
}

// NewSet returns a set of the given names, which must be tokens of at most
// MaxNameLength bytes.
func NewSet(names []string) *Set {
	s := &Set{}
	for _, n := range names {
		n = toLower(n)
		if !s.has(n) {
			s.names = append(s.names, n)
		}
	}
	if len(s.names) > linearMax {
		s.index = make(map[string]struct{}, len(s.names))
		for _, n := range s.names {
			s.index[n] = struct{}{}
		}
	}
	return s
}

// Names returns the lower-case names in the set. The caller must not modify it.
func (s *Set) Names() []string { return s.names }

// Contains reports whether name is in the set, ignoring ASCII case.
func (s *Set) Contains(name string) bool {
	if s.Any {
		return true
	}
	if len(name) > MaxNameLength {
		return false
	}
	if s.index == nil {
		for _, n := range s.names {
			if equalFold(n, name) {
				return true
			}
		}
		return false
	}
	var buf [MaxNameLength]byte
	lower := buf[:len(name)]
	for i := 0; i < len(name); i++ {
		lower[i] = lowerByte(name[i])
	}
	_, ok := s.index[string(lower)] // no allocation: the compiler reads the bytes in place
	return ok
}

func (s *Set) has(lower string) bool {
	for _, n := range s.names {
		if n == lower {
			return true
		}
	}
	return false
}

// equalFold compares a lower-case name with any-case input, ASCII only.
func equalFold(lower, s string) bool {
	if len(lower) != len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lower[i] != lowerByte(s[i]) {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func toLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lowerByte(b[j])
			}
			return string(b)
		}
	}
	return s
}
