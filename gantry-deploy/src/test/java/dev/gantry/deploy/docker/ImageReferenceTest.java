package dev.gantry.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  @Test
  void aReferenceNamesARegistryAsDockerReadsIt() {
    assertThat(Docker.namesRegistry("registry.example.com/shop/app:1.2")).isTrue();
    assertThat(Docker.namesRegistry("10.213.1.2:5000/lab/app:A")).isTrue();
    assertThat(Docker.namesRegistry("localhost/app")).isTrue();
    assertThat(Docker.namesRegistry("lab/app:A")).as("a Docker Hub user's image").isFalse();
    assertThat(Docker.namesRegistry("nginx:1.27")).isFalse();
    assertThat(Docker.namesRegistry("app@sha256:abc")).isFalse();
  }
}
