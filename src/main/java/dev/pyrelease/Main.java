package dev.pyrelease;

public final class Main {
  public static void main(String[] args) {}
}
