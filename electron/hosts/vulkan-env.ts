import { existsSync } from 'node:fs';

/** SwiftShader's Vulkan driver, shipped with Debian's chromium: the software GPU of machines without one. */
export const swiftShaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Points the Vulkan loader at SwiftShader unless a driver is configured (VK_ICD_FILENAMES or
 * VK_DRIVER_FILES, e.g. a real GPU's) or SwiftShader is not installed. The loader reads the real
 * environment of the process that loads Dawn: call it on that process's main thread before Dawn
 * loads, or on the `env` given to the engine's child process (a worker's `process.env` is a copy
 * and cannot change it).
 */
export function useSoftwareVulkanUnlessConfigured(env: NodeJS.ProcessEnv = process.env): void {
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES || !existsSync(swiftShaderIcd)) return;
  env.VK_ICD_FILENAMES = swiftShaderIcd;
}
