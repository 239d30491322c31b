#include "train/distributed.hpp"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include "train/nccl_backend.hpp"
#include "util/error.hpp"
#include "util/tensor_ops.hpp"

namespace scorekit {

namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long x = std::strtol(v, &end, 10);
  if (*end) throw Error(std::string("distributed: environment variable ") + name + " must be an integer, got '" + v + "'");
  return static_cast<int>(x);
}

// Runs a c10d call, turning its exceptions into scorekit errors that say what failed.
template <class F>
auto checked(const std::string& what, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    std::string msg = e.what();
    const auto nl = msg.find('\n');
    if (nl != std::string::npos) msg = msg.substr(0, nl);
    throw Error("distributed: " + what + " failed (a rank died, or did not join within the timeout): " + msg);
  }
}

// This machine's address on the route to `host`: the address the other ranks reach this one by.
// Falls back to `host` itself when it does not resolve or no route leads there.
std::string local_address_towards(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return host;
  std::string local = host;
  for (const addrinfo* a = found; a; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    // connect() on a UDP socket sends nothing: it only chooses the route and the source address.
    sockaddr_storage self{};
    socklen_t len = sizeof self;
    char name[NI_MAXHOST];
    const bool ok = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &len) == 0 &&
                    ::getnameinfo(reinterpret_cast<sockaddr*>(&self), len, name, sizeof name, nullptr, 0, NI_NUMERICHOST) == 0;
    ::close(fd);
    if (ok) {
      local = name;
      break;
    }
  }
  ::freeaddrinfo(found);
  return local;
}

// The device Gloo binds this rank's connections to. Binding to MASTER_ADDR works only on the
// master's own machine (elsewhere Gloo fails with "Cannot resolve ... to a (local) address"), so
// each rank binds to its own address towards the master; GLOO_SOCKET_IFNAME, as in PyTorch, names
// an interface instead.
auto make_device(const DistributedConfig& config) {
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
    return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  return c10d::ProcessGroupGloo::createDeviceForHostname(local_address_towards(config.master_addr, config.master_port));
}

}  // namespace

DistributedConfig DistributedConfig::from_env() {
  DistributedConfig c;
  c.rank = env_int("RANK", 0);
  c.world_size = env_int("WORLD_SIZE", 1);
  if (const char* a = std::getenv("MASTER_ADDR")) c.master_addr = a;
  c.master_port = env_int("MASTER_PORT", c.master_port);
  c.timeout_s = env_int("SCOREKIT_DIST_TIMEOUT", static_cast<int>(c.timeout_s));
  if (const char* b = std::getenv("SCOREKIT_DIST_BACKEND"); b && *b) c.backend = b;
  return c;
}

std::string DistributedConfig::resolved_backend() const {
  const at::Device d = parse_device(device);
  if (backend == "auto") return d.is_cuda() && nccl_available() ? "nccl" : "gloo";
  if (backend == "gloo") return backend;
  if (backend == "nccl") {
    if (!nccl_available()) make_nccl_backend({}, 0, 1, {}, 0);  // throws the explanation
    if (!d.is_cuda()) throw Error("distributed: backend 'nccl' reduces CUDA tensors; the model is on '" + device + "' (use gloo)");
    return backend;
  }
  throw Error("distributed: unknown backend '" + backend + "'; valid: auto, gloo, nccl");
}

DistributedConfig DistributedConfig::from_spec(const Json& spec) {
  DistributedConfig c = from_env();
  SpecReader r(spec, "distributed");
  c.rank = static_cast<int>(r.integer("rank", c.rank));
  c.world_size = static_cast<int>(r.integer("world_size", c.world_size));
  c.master_addr = r.string("master_addr", c.master_addr);
  c.master_port = static_cast<int>(r.integer("master_port", c.master_port));
  c.timeout_s = r.positive("timeout_s", c.timeout_s);
  c.bucket_bytes = static_cast<size_t>(r.positive("bucket_mb", c.bucket_bytes / 1048576.0) * 1048576.0);
  c.backend = r.string("backend", c.backend);
  c.device = r.string("device", c.device);
  r.finish();
  return c;
}

struct ProcessGroup::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<Collective> group;
};

ProcessGroup::ProcessGroup(const DistributedConfig& config) : impl_(std::make_unique<Impl>()), config_(config) {
  if (config.world_size < 1) throw Error("distributed: WORLD_SIZE must be >= 1, got " + std::to_string(config.world_size));
  if (config.rank < 0 || config.rank >= config.world_size)
    throw Error("distributed: RANK must lie in [0, WORLD_SIZE), got " + std::to_string(config.rank));
  if (config.master_port <= 0 || config.master_port > 65535)
    throw Error("distributed: MASTER_PORT must be a TCP port, got " + std::to_string(config.master_port));
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(config.timeout_s * 1000));
  backend_ = config.resolved_backend();
  device_ = parse_device(config.device);
  if (backend_ == "gloo") device_ = at::kCPU;
  checked("rendezvous at " + config.master_addr + ":" + std::to_string(config.master_port), [&] {
    c10d::TCPStoreOptions o;
    o.port = static_cast<uint16_t>(config.master_port);
    o.isServer = config.rank == 0;
    o.numWorkers = config.world_size;
    o.waitWorkers = true;
    o.timeout = timeout;
    impl_->store = c10::make_intrusive<c10d::TCPStore>(config.master_addr, o);
    if (backend_ == "nccl") {
      impl_->group = make_nccl_backend(impl_->store, config.rank, config.world_size, timeout,
                                       device_.has_index() ? device_.index() : 0);
      return 0;
    }
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    options->devices.push_back(make_device(config));
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, config.rank, config.world_size, options);
    return 0;
  });
}

ProcessGroup::~ProcessGroup() = default;

void ProcessGroup::allreduce_sum(const std::vector<at::Tensor>& tensors) {
  // Bucket: flatten consecutive tensors of one dtype up to bucket_bytes, reduce, copy back.
  size_t i = 0;
  while (i < tensors.size()) {
    size_t j = i, bytes = 0;
    std::vector<at::Tensor> bucket;
    while (j < tensors.size() && (bucket.empty() || (bytes + tensors[j].nbytes() <= config_.bucket_bytes &&
                                                     tensors[j].scalar_type() == bucket[0].scalar_type()))) {
      bytes += tensors[j].nbytes();
      bucket.push_back(tensors[j]);
      ++j;
    }
    std::vector<at::Tensor> flat;
    for (const auto& t : bucket) flat.push_back(t.reshape({-1}));
    // Gloo reduces on the CPU: a CUDA model's gradients travel there and back.
    std::vector<at::Tensor> buffer = {at::cat(flat).to(device_)};
    checked("all-reduce", [&] {
      impl_->group->allreduce(buffer)->wait();
      return 0;
    });
    int64_t offset = 0;
    for (auto& t : bucket) {
      t.copy_(buffer[0].slice(0, offset, offset + t.numel()).view(t.sizes()));
      offset += t.numel();
    }
    i = j;
  }
}

double ProcessGroup::allreduce_sum(double value) {
  auto t = at::full({1}, value, at::TensorOptions().dtype(at::kDouble).device(device_));
  allreduce_sum(std::vector<at::Tensor>{t});
  return t.item<double>();
}

void ProcessGroup::broadcast_module(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> all;
  for (auto& p : module.parameters()) all.push_back(p);
  for (auto& b : module.buffers()) all.push_back(b);
  for (auto& t : all) {
    std::vector<at::Tensor> one = {t.detach().to(device_)};
    checked("broadcast", [&] {
      impl_->group->broadcast(one)->wait();
      return 0;
    });
    if (one[0].device() != t.device()) t.detach().copy_(one[0]);
  }
}

void ProcessGroup::barrier() {
  checked("barrier", [&] {
    impl_->group->barrier()->wait();
    return 0;
  });
}

}  // namespace scorekit
