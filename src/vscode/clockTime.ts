// Log-line times. toLocaleTimeString() would do, but the first call in a process loads the ICU locale data (about
// 25 ms), and the first log line is written during activation, which VS Code times.

/** "4:47:06 AM": the en-US shape of toLocaleTimeString(), with a plain space before AM/PM. */
export function clockTime(date: Date): string {
  const hours = date.getHours();
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${hours % 12 || 12}:${two(date.getMinutes())}:${two(date.getSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}
