package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
)

// readBodyFlag returns the actual request's body: -data STRING, -data
// @file (read up to maxBodyFlag bytes), or -body-size N bytes of 'x', so
// a request refused only for its body (a proxy's 413) can be reproduced.
func readBodyFlag(data string, size int64) ([]byte, error) {
	if size > 0 {
		return bytes.Repeat([]byte("x"), int(size)), nil
	}
	name, ok := strings.CutPrefix(data, "@")
	if !ok {
		return []byte(data), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("-data: %v", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxBodyFlag+1))
	if err != nil {
		return nil, fmt.Errorf("-data: %v", err)
	}
	if len(b) > maxBodyFlag {
		return nil, fmt.Errorf("-data: %s is larger than %d bytes", name, maxBodyFlag)
	}
	return b, nil
}
