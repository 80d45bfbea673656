// Package jsoncodec registers a gRPC codec named "json" that carries
// messages in the canonical proto3 JSON mapping. Clients that cannot load a
// protobuf runtime, such as the PowerShell module, speak gRPC with
// content-type application/grpc+json and plain JSON bodies.
package jsoncodec

import (
	"fmt"

	"google.golang.org/grpc/encoding"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// Name is the codec's content subtype.
const Name = "json"

// Codec marshals protobuf messages as proto3 JSON.
type Codec struct{}

var (
	marshal = protojson.MarshalOptions{EmitUnpopulated: true}
	// Unknown fields are dropped so that newer clients work with older daemons.
	unmarshal = protojson.UnmarshalOptions{DiscardUnknown: true}
)

// Marshal encodes v, which must be a protobuf message.
func (Codec) Marshal(v any) ([]byte, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("jsoncodec: %T is not a protobuf message", v)
	}
	return marshal.Marshal(m)
}

// Unmarshal decodes data into v, which must be a protobuf message.
func (Codec) Unmarshal(data []byte, v any) error {
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("jsoncodec: %T is not a protobuf message", v)
	}
	return unmarshal.Unmarshal(data, m)
}

// Name returns the content subtype.
func (Codec) Name() string { return Name }

// gRPC looks codecs up by content subtype in its own registry, so the codec
// has to be registered there once per process.
func init() {
	encoding.RegisterCodec(Codec{})
}
