package main

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
)

// testSet is a small exo.v1 file with comments on every element.
func testSet() *descriptorpb.FileDescriptorSet {
	loc := func(comment string, path ...int32) *descriptorpb.SourceCodeInfo_Location {
		return &descriptorpb.SourceCodeInfo_Location{Path: path, LeadingComments: proto.String(comment)}
	}
	str := descriptorpb.FieldDescriptorProto_TYPE_STRING
	msg := descriptorpb.FieldDescriptorProto_TYPE_MESSAGE
	repeated := descriptorpb.FieldDescriptorProto_LABEL_REPEATED
	return &descriptorpb.FileDescriptorSet{File: []*descriptorpb.FileDescriptorProto{
		{Name: proto.String("google/protobuf/empty.proto"), Package: proto.String("google.protobuf")},
		{
			Name: proto.String("exo/v1/thing.proto"), Package: proto.String("exo.v1"),
			Service: []*descriptorpb.ServiceDescriptorProto{{Name: proto.String("ThingService"), Method: []*descriptorpb.MethodDescriptorProto{
				{Name: proto.String("ListThings"), InputType: proto.String(".exo.v1.Thing"), OutputType: proto.String(".exo.v1.Thing"), ServerStreaming: proto.Bool(true)},
			}}},
			MessageType: []*descriptorpb.DescriptorProto{{
				Name: proto.String("Thing"),
				Field: []*descriptorpb.FieldDescriptorProto{
					{Name: proto.String("name"), Number: proto.Int32(1), Type: &str},
					{Name: proto.String("tags"), Number: proto.Int32(2), Type: &msg, Label: &repeated, TypeName: proto.String(".exo.v1.Thing.TagsEntry")},
				},
				NestedType: []*descriptorpb.DescriptorProto{{
					Name: proto.String("TagsEntry"), Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)},
					Field: []*descriptorpb.FieldDescriptorProto{
						{Name: proto.String("key"), Number: proto.Int32(1), Type: &str},
						{Name: proto.String("value"), Number: proto.Int32(2), Type: &str},
					},
				}},
			}},
			EnumType: []*descriptorpb.EnumDescriptorProto{{Name: proto.String("Color"), Value: []*descriptorpb.EnumValueDescriptorProto{
				{Name: proto.String("COLOR_UNSPECIFIED"), Number: proto.Int32(0)},
			}}},
			SourceCodeInfo: &descriptorpb.SourceCodeInfo{Location: []*descriptorpb.SourceCodeInfo_Location{
				loc(" ThingService lists things.\n", fileServices, 0),
				loc(" ListThings streams every thing.\n", fileServices, 0, svcMethods, 0),
				loc(" Thing is one thing.\n", fileMessages, 0),
				loc(" Name is | the name.\n", fileMessages, 0, msgFields, 0),
				loc(" Tags label\n the thing.\n", fileMessages, 0, msgFields, 1),
				loc(" Color is a color.\n", fileEnums, 0),
				loc(" COLOR_UNSPECIFIED is no color.\n", fileEnums, 0, enumValues, 0),
			}},
		},
	}}
}

func TestRender(t *testing.T) {
	kept := examplesBegin + "\n## Worked examples\n\nhand-written\n" + examplesEnd
	tests := []struct {
		name     string
		examples string
		want     []string
	}{
		{"sections from comments", "", []string{
			"### service exo.v1.ThingService\n\nThingService lists things.",
			"| `ListThings` | [Thing](#exo-v1-thing) | stream [Thing](#exo-v1-thing) | ListThings streams every thing. |",
			"### message exo.v1.Thing\n\nThing is one thing.",
			"| `name` | 1 | `string` | Name is \\| the name. |",
			"| `tags` | 2 | `map<string,` `string``>` | Tags label the thing. |",
			"### enum exo.v1.Color\n\nColor is a color.",
			"| `COLOR_UNSPECIFIED` | 0 | COLOR_UNSPECIFIED is no color. |",
		}},
		{"examples kept", kept, []string{kept}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := render(testSet(), tt.examples)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(doc, w) {
					t.Errorf("doc lacks %q:\n%s", w, doc)
				}
			}
			if strings.Contains(doc, "TagsEntry") || strings.Contains(doc, "google.protobuf") {
				t.Errorf("doc shows map entries or other packages:\n%s", doc)
			}
			if examplesOf(doc) == "" {
				t.Error("the rendered doc has no examples section to keep next time")
			}
		})
	}
}
