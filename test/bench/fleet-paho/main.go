// Reference load generator for `npm run bench -- fleet`, written the way the guides write one: Go with Eclipse
// Paho, one goroutine per simulated device publishing at a fixed rate, plus one subscriber that measures the
// publish-to-receive latency from a send time stamped in the payload. Prints one JSON object.
// Built at bench time, offline: GOPATH=/usr/share/gocode GO111MODULE=off go build (Debian's golang-go and
// golang-github-eclipse-paho.mqtt.golang-dev).
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100+0.999999) - 1
	if rank < 0 {
		rank = 0
	}
	if rank >= len(sorted) {
		rank = len(sorted) - 1
	}
	return sorted[rank]
}

func main() {
	broker := flag.String("broker", "tcp://127.0.0.1:1883", "broker URL")
	clients := flag.Int("clients", 100, "simulated devices")
	rate := flag.Float64("rate", 10, "messages per second per device")
	seconds := flag.Float64("seconds", 10, "seconds of publishing")
	connectRate := flag.Float64("connect-rate", 500, "devices connected per second")
	payloadBytes := flag.Int("payload", 64, "payload size in bytes (at least 8)")
	flag.Parse()

	var received int64
	var mu sync.Mutex
	latencies := make([]float64, 0, 1<<20)
	subOpts := mqtt.NewClientOptions().AddBroker(*broker).SetClientID("paho-monitor").SetCleanSession(true)
	subOpts.SetDefaultPublishHandler(func(_ mqtt.Client, m mqtt.Message) {
		p := m.Payload()
		if len(p) < 8 {
			return
		}
		sent := int64(binary.BigEndian.Uint64(p[:8]))
		ms := float64(time.Now().UnixNano()-sent) / 1e6
		atomic.AddInt64(&received, 1)
		mu.Lock()
		latencies = append(latencies, ms)
		mu.Unlock()
	})
	sub := mqtt.NewClient(subOpts)
	if t := sub.Connect(); t.Wait() && t.Error() != nil {
		fmt.Fprintln(os.Stderr, "subscriber:", t.Error())
		os.Exit(1)
	}
	if t := sub.Subscribe("paho/+/telemetry", 0, nil); t.Wait() && t.Error() != nil {
		fmt.Fprintln(os.Stderr, "subscribe:", t.Error())
		os.Exit(1)
	}

	var sent, failed int64
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / *rate)
	perDevice := int(*rate * *seconds)
	started := time.Now()
	// Messages sent in each second, for the median rate (the same figure the simulator's snapshots give).
	var perSecond []float64
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		ticker := time.NewTicker(time.Second)
		defer ticker.Stop()
		last := int64(0)
		for {
			select {
			case <-stopSampling:
				return
			case <-ticker.C:
				now := atomic.LoadInt64(&sent)
				perSecond = append(perSecond, float64(now-last))
				last = now
			}
		}
	}()
	for i := 0; i < *clients; i++ {
		wg.Add(1)
		go func(index int) {
			defer wg.Done()
			id := fmt.Sprintf("paho-%d", index)
			opts := mqtt.NewClientOptions().AddBroker(*broker).SetClientID(id).SetCleanSession(true).SetAutoReconnect(false)
			client := mqtt.NewClient(opts)
			if t := client.Connect(); t.Wait() && t.Error() != nil {
				atomic.AddInt64(&failed, 1)
				return
			}
			defer client.Disconnect(250)
			topic := "paho/" + id + "/telemetry"
			payload := make([]byte, *payloadBytes)
			ticker := time.NewTicker(interval)
			defer ticker.Stop()
			for n := 0; n < perDevice; n++ {
				<-ticker.C
				binary.BigEndian.PutUint64(payload[:8], uint64(time.Now().UnixNano()))
				client.Publish(topic, 0, false, append([]byte(nil), payload...))
				atomic.AddInt64(&sent, 1)
			}
		}(i)
		time.Sleep(time.Duration(float64(time.Second) / *connectRate))
	}
	wg.Wait()
	elapsed := time.Since(started).Seconds()
	close(stopSampling)
	<-sampled
	sort.Float64s(perSecond)
	// Let the last messages arrive (bounded).
	deadline := time.Now().Add(2 * time.Second)
	for atomic.LoadInt64(&received) < atomic.LoadInt64(&sent) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	sub.Disconnect(250)
	mu.Lock()
	sort.Float64s(latencies)
	out := map[string]interface{}{
		"clients": *clients, "failed": failed, "sent": sent, "received": atomic.LoadInt64(&received), "seconds": elapsed,
		"sentPerSec": float64(sent) / elapsed, "medianPerSec": percentile(perSecond, 50),
		"e2eP50Ms": percentile(latencies, 50), "e2eP95Ms": percentile(latencies, 95), "e2eP99Ms": percentile(latencies, 99),
	}
	mu.Unlock()
	encoded, _ := json.Marshal(out)
	fmt.Println(string(encoded))
}
