package render

import (
	"strings"
)

// nginx keeps exact server names, and the header names of proxy_set_header,
// in hashes whose buckets hold 64 bytes by default (a CPU cache line): a
// bucket must hold a pointer, then the name padded to 8 bytes with 2 bytes of
// length, then a terminating pointer. A longer name fails `nginx -t` with
// "could not build server_names_hash, you should increase
// server_names_hash_bucket_size" once nginx builds the hash, which it does for
// a port shared by two servers (Debian's default site on 80) or a regex name
// with captures (the subdomain method).
const nginxDefaultBucket = 64

func nginxBucketNeed(name string) int { return 8 + (len(name)+2+7)&^7 + 8 }

// nginxNameFits reports whether name fits the default bucket: 46 characters.
func nginxNameFits(name string) bool { return nginxBucketNeed(name) <= nginxDefaultBucket }

// nginxBucketFor is the smallest power-of-two bucket size that holds name.
func nginxBucketFor(name string) int {
	b := nginxDefaultBucket
	for b < nginxBucketNeed(name) {
		b *= 2
	}
	return b
}

// nginxDockerLines are the Docker ports method's map entries (port to
// repository key) and listen lines.
func nginxDockerLines(ports []dockerPortView, tls bool) (mapLines, listenLines string) {
	mapLines = lines(len(ports), 16+maxKey, func(b *strings.Builder, i int) {
		b.WriteString("    ")
		b.WriteString(ports[i].Port)
		b.WriteByte(' ')
		b.WriteString(ports[i].Key)
		b.WriteByte(';')
	})
	ssl := ""
	if tls {
		ssl = " ssl"
	}
	listenLines = lines(len(ports), 24, func(b *strings.Builder, i int) {
		b.WriteString("    listen ")
		b.WriteString(ports[i].Port)
		b.WriteString(ssl)
		b.WriteByte(';')
	})
	return mapLines, listenLines
}
