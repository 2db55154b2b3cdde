package identity

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DevSecretFile is the name, inside the data directory, of the development
// HS256 secret LoadOrCreateDevSecret keeps.
const DevSecretFile = "dev-token-secret"

// LoadOrCreateDevSecret returns the development HS256 secret kept in
// <dataDir>/dev-token-secret, creating it on first use: 32 random bytes,
// hex-encoded, in a file of mode 0600 (the directory is created 0700 if
// missing). The secret is the hex text itself, so
// HOMEROOM_TOKEN_SECRET="$(cat data/dev-token-secret)" names the same key.
// Concurrent first calls agree on one secret.
func LoadOrCreateDevSecret(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, DevSecretFile)
	secret, err := readDevSecret(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return secret, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("failed to create data directory: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("failed to generate dev secret: %w", err)
	}
	// Write a temporary file (CreateTemp makes it 0600), then link it into
	// place: readers never see a partial file, and if another process got
	// there first the link fails and its secret wins.
	tmp, err := os.CreateTemp(dataDir, "."+DevSecretFile+"-*")
	if err != nil {
		return nil, fmt.Errorf("failed to create dev secret: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(hex.EncodeToString(raw) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("failed to write dev secret: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("failed to store dev secret: %w", err)
	}
	return readDevSecret(path)
}

func readDevSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("failed to read dev secret: %w", err)
	}
	s := strings.TrimSpace(string(b))
	if raw, err := hex.DecodeString(s); err != nil || len(raw) < MinSecretLen {
		return nil, fmt.Errorf("dev secret %s is not %d hex-encoded bytes; delete it to make a new one", path, MinSecretLen)
	}
	return []byte(s), nil
}

// ParseEdDSAPublicKeyPEM parses an Ed25519 public key from a PEM "PUBLIC
// KEY" block (PKIX), as `openssl pkey -pubout` writes it.
func ParseEdDSAPublicKeyPEM(data []byte) (ed25519.PublicKey, error) {
	der, err := pemBlock(data, "PUBLIC KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("failed to parse public key: %w", err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("public key is %T, want Ed25519", k)
	}
	return pub, nil
}

// ParseEdDSAPrivateKeyPEM parses an Ed25519 private key from a PEM "PRIVATE
// KEY" block (PKCS #8), as `openssl genpkey -algorithm ed25519` writes it.
func ParseEdDSAPrivateKeyPEM(data []byte) (ed25519.PrivateKey, error) {
	der, err := pemBlock(data, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("failed to parse private key: %w", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("private key is %T, want Ed25519", k)
	}
	return priv, nil
}

// pemBlock returns the bytes of the first PEM block, which must be of type
// want. Its errors never quote the input, which may be a private key.
func pemBlock(data []byte, want string) ([]byte, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("no PEM block found, want %s", want)
	}
	if block.Type != want {
		return nil, fmt.Errorf("PEM block is %q, want %s", block.Type, want)
	}
	return block.Bytes, nil
}
